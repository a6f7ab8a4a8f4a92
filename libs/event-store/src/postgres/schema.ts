/** Names shared by the adapter's SQL. */
export const EVENTS_TABLE = 'event_store.events';

/** NOTIFY channel on which every committed append announces the new head position. */
export const APPENDED_CHANNEL = 'event_store_appended';

/**
 * Advisory locks use the two-integer form, with a class id of our own, so they
 * can never collide with the single-bigint keys other modules (projections)
 * take: PostgreSQL keeps the two forms apart.
 */
export const LOCK_CLASS = 0x45565354; // "EVST"
export const APPEND_LOCK = 1;
export const MIGRATION_LOCK = 2;
