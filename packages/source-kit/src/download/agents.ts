import http from 'node:http';
import https from 'node:https';

/** Keep-alive connection pools, one per scheme and TLS strictness, sized to the download pool. */
export interface Agents {
  http: http.Agent;
  https: https.Agent;
  httpsInsecure: https.Agent;
  destroy(): void;
}

export function createAgents(parallel: number): Agents {
  const options = { keepAlive: true, maxSockets: parallel, scheduling: 'lifo' as const };
  const agents = {
    http: new http.Agent(options),
    https: new https.Agent(options),
    httpsInsecure: new https.Agent({ ...options, rejectUnauthorized: false }),
  };
  return { ...agents, destroy: () => Object.values(agents).forEach((a) => a.destroy()) };
}
