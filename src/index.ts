export * from './organization';
export * from './account-selection';
export * from './permission-level';
export * from './permission-set';
