/** org.osbuild.xorrisofs's options, as upstream's schema has them. */
export interface XorrisofsOptions {
  filename: string;
  volid: string;
  sysid?: string;
  pub?: string;
  appid?: string;
  prep?: string;
  boot?: { image: string; catalog: string; nobootinfo?: boolean };
  efi?: string;
  grub2mbr?: string;
  isohybridmbr?: string;
  isolevel?: number;
  exclude?: string[];
  rational_rock?: boolean;
  untranslated_filenames?: boolean;
  full_filenames?: boolean;
  volset?: string;
  chrp_boot?: boolean;
}
