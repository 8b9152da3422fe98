/** What to set for one user; absent fields are left as they are. */
export interface UserOptions {
  uid?: number;
  gid?: number;
  groups?: string[];
  description?: string;
  home?: string;
  shell?: string;
  password?: string;
  key?: string;
  keys?: string[];
  expiredate?: number;
  force_password_reset?: boolean;
}

/** The stage's options, as the schema admits them. */
export interface UsersOptions {
  users?: Record<string, UserOptions>;
}
