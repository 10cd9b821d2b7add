export * from './process-status';
