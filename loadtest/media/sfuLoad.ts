export async function runSfuLoad(_o: {
  rooms: number;
  listeners: number;
  durationS: number;
  rampS: number;
}): Promise<unknown> {
  throw new Error('todo');
}
