/**
 * Street names common across US towns (ordinals, trees, landscape, civic words, presidents and founders), for the
 * address slot model and grammar in the worker and the NLU's address vote: a caller's street is far more often one
 * of these than any other word.
 */
export const COMMON_STREET_NAMES: readonly string[] = `
first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
oak maple pine cedar elm birch willow walnut chestnut spruce hickory magnolia sycamore juniper aspen poplar
cherry dogwood cypress laurel holly redwood locust ash beech cottonwood palm peach apple pecan mulberry hawthorn
lake hill river spring sunset sunrise highland forest meadow valley ridge harbor bay garden orchard park view
lakeview fairview hillside woodland creek brook grove prairie canyon mountain summit pleasant green rose
meadowbrook riverside lakeshore hilltop bayview parkview crestview woodlawn glen hollow shore pond
main church market mill center union school college railroad depot bridge prospect commerce front water
high central liberty heritage colonial academy station factory court king queen
north south east west
washington lincoln jefferson madison franklin jackson adams monroe grant kennedy wilson roosevelt hamilton
harrison taylor cleveland johnson clinton polk pierce garfield mckinley
broadway cambridge oxford windsor lexington arlington jefferson franklin
`
  .split(/\s+/)
  .filter((w) => w.length > 0);

const COMMON = new Set(COMMON_STREET_NAMES);

/** A street name of the common ones ("oak", "park view": every word of it), as said or capitalised. */
export function isCommonStreetName(name: string): boolean {
  const words = name.toLowerCase().split(/\s+/);
  return words.every((w) => COMMON.has(w));
}
