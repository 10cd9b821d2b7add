export * from './device-signature';
export * from './entity-fields';
export * from './replica-rules';
export * from './rights';
export * from './team-kinds';
export * from './team-merge';
export * from './team-protocol';
export * from './wire';
