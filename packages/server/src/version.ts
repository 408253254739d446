export const CANON_VERSION = '0.1.0'
