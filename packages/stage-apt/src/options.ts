export interface AptOptions {
  packages: string[];
  install_recommends?: boolean;
  apt_config?: Record<string, string>;
}
