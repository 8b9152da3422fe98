#!/usr/bin/env node
import { fileSystemMount, serveHostService } from '@osbuild-ts/plugin-kit/host-service';

await serveHostService(fileSystemMount({ fsType: 'vfat' }));
