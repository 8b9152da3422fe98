#!/usr/bin/env node
import { runStage, runTool, requireTool } from '@osbuild-ts/plugin-kit';
import { ensureHomeDir } from './home-dir.js';
import { numericId, passwdEntry, type PasswdEntry } from './passwd-entry.js';
import { addSshKeys } from './ssh-keys.js';
import { sshKeys, useraddArguments, usermodArguments } from './user-arguments.js';
import type { UsersOptions } from './users-options.js';

await runStage<UsersOptions>((args) => {
  const { tree } = args;
  for (const [name, user] of Object.entries(args.options.users ?? {})) {
    const existing = passwdEntry(tree, name);
    if (existing) {
      if (user.uid !== undefined && existing.uid !== String(user.uid)) {
        throw new Error(`can't set uid of existing user '${name}' (it has ${existing.uid}, the options say ${user.uid})`);
      }
      const usermod = usermodArguments(tree, name, user);
      if (usermod) {
        requireTool('usermod', 'passwd');
        runTool('usermod', usermod);
      }
      // usermod moves no home and makes none: make a missing one.
      ensureHomeDir(tree, owner(current(tree, name)));
    } else {
      requireTool('useradd', 'passwd');
      runTool('useradd', useraddArguments(tree, name, user));
    }

    if (user.force_password_reset) {
      requireTool('passwd', 'passwd');
      runTool('passwd', ['--root', tree, '--expire', name]);
    }

    const keys = sshKeys(user);
    if (keys.length > 0) addSshKeys(tree, owner(current(tree, name)), keys);
  }
});

function current(tree: string, name: string): PasswdEntry {
  const entry = passwdEntry(tree, name);
  if (!entry) throw new Error(`user ${name} is not in the tree's /etc/passwd after adding it`);
  return entry;
}

function owner(entry: PasswdEntry): { name: string; home: string; uid: number; gid: number } {
  return { name: entry.name, home: entry.home, uid: numericId(entry, 'uid'), gid: numericId(entry, 'gid') };
}
