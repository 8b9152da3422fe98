/** Removes a file if it is there; says whether it was. Other errors throw. */
export declare function removeIfPresent(path: string): boolean;
