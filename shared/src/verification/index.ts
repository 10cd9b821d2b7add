export * from './apply-to-goal';
export * from './next-steps';
export * from './verification-machine';
export * from './who-may-verify';
