import { shareMariadbForRun } from './mariadb-server';

/**
 * Vitest globalSetup of the jira-plugin and test projects: one throwaway MariaDB for the run, its socket handed
 * to the test workers in CXPLAN_MARIADB_SOCKET (see installForgeSql in forge-sql-mariadb.ts).
 */
export default function setup(): Promise<() => Promise<void>> {
  return shareMariadbForRun();
}
