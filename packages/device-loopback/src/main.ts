#!/usr/bin/env node
import { realpathSync, statSync } from 'node:fs';
import { serveHostService, type DeviceReply, type DeviceRequest } from '@osbuild-ts/plugin-kit/host-service';
import { attachLoop, type AttachedLoop } from './loop-device.js';
import { loopSetup, type LoopbackOptions } from './loopback-options.js';

let loop: AttachedLoop | null = null;

await serveHostService<DeviceRequest, DeviceReply>({
  async setUp(request) {
    const setup = loopSetup(request.options as unknown as LoopbackOptions, request.tree, {
      size: (file) => statSync(file).size,
      realpath: (file) => realpathSync(file),
    });
    loop = await attachLoop(setup);
    return { path: loop.name, node: loop.node };
  },
  async tearDown() {
    const attached = loop;
    loop = null;
    await attached?.release();
  },
});
