/**
 * The client's address as Koa computes ctx.ip with `proxy` and `maxIpsCount`: behind `proxyHops` trusted proxies the
 * last `proxyHops` X-Forwarded-For entries are theirs and the first of those is the client; anything a client put
 * in front of them is ignored. Without trustProxy the socket's own remote address.
 */
export function clientAddress(
  remoteAddress: string,
  forwardedFor: string | string[] | undefined,
  proxy: { trustProxy: boolean; proxyHops: number },
): string {
  if (!proxy.trustProxy || !forwardedFor) return remoteAddress;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return chain.slice(-proxy.proxyHops)[0] ?? remoteAddress;
}
