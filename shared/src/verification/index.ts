export * from './apply-to-goal';
export * from './verification-machine';
export * from './who-may-verify';
