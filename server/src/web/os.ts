/** `node:os` in the browser bundles: no machine to describe (target host `auto` resolves to nothing there). */
export const release = (): string => '';
export const version = (): string => '';
export const homedir = (): string => '/';
export const tmpdir = (): string => '/tmp';
export const platform = (): string => 'browser';
