import { singleFileInput, type StageArguments } from '@osbuild-ts/plugin-kit';

/**
 * The archive: the one file of the `file` input (an org.osbuild.files
 * input, whose files are named by checksum in its directory).
 */
export function archiveFile(args: StageArguments<unknown>): string {
  return singleFileInput(args, 'file', 'the archive to extract');
}
