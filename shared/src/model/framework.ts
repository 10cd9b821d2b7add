import * as v from 'valibot';
import { IdListSchema, IdSchema, NameSchema, NoteSchema } from './common';

/** A customer lifecycle stage (IBM framework); renamable, reorderable by `order`, extensible. */
export const StageSchema = v.object({
  id: IdSchema,
  name: NameSchema,
  order: v.pipe(v.number('must be a number'), v.integer('must be a whole number')),
});
/** A customer lifecycle stage. */
export type Stage = v.InferOutput<typeof StageSchema>;

/** The default lifecycle stages every new workspace starts with, in order. */
export const DEFAULT_STAGES: readonly Stage[] = [
  { id: 'stage-aware', name: 'Aware', order: 0 },
  { id: 'stage-shop-buy', name: 'Shop/Buy', order: 1 },
  { id: 'stage-set-up', name: 'Set Up', order: 2 },
  { id: 'stage-use-support', name: 'Use & Support', order: 3 },
  { id: 'stage-pay', name: 'Pay', order: 4 },
  { id: 'stage-add-renew-upgrade', name: 'Add/Renew/Upgrade', order: 5 },
  { id: 'stage-leave', name: 'Leave', order: 6 },
];

/** The drivers an event or piece of evidence can bear on (loyalty, retention, point of pain). */
export const DriverSchema = v.picklist(
  ['loyalty', 'retention', 'pain'],
  'must be loyalty, retention or pain',
);
/** A driver: loyalty, retention or point of pain. */
export type Driver = v.InferOutput<typeof DriverSchema>;

/** A customer event ("moment of truth") inside a lifecycle stage. */
export const CustomerEventSchema = v.object({
  id: IdSchema,
  stageId: IdSchema,
  name: NameSchema,
  description: v.optional(NoteSchema),
  /** Drivers this event is known to bear on (a lens of the heat map). */
  drivers: v.optional(v.array(DriverSchema), []),
});
/** A customer event ("moment of truth"). */
export type CustomerEvent = v.InferOutput<typeof CustomerEventSchema>;

/** Channels suggested in the touchpoint map; any other non-empty channel name is allowed. */
export const KNOWN_CHANNELS = [
  'email',
  'phone',
  'face-to-face',
  'web',
  'chat',
  'store',
  'IVR',
  'social',
  'letter',
  'app',
] as const;

/** A touchpoint: where the organisation meets the customer, who owns it and when it happens. */
export const TouchpointSchema = v.object({
  id: IdSchema,
  name: NameSchema,
  stageId: IdSchema,
  channel: NameSchema,
  ownerDepartmentId: v.optional(IdSchema),
  /** When it happens, e.g. "upon signing of contract". */
  timing: v.optional(v.pipe(v.string(), v.maxLength(500))),
  /** `current` is the map as it is today; `desired` is what should be added. */
  state: v.picklist(['current', 'desired'], 'must be current or desired'),
  what: v.optional(NoteSchema),
  whom: v.optional(NoteSchema),
  how: v.optional(NoteSchema),
  when: v.optional(NoteSchema),
  eventIds: v.optional(IdListSchema, []),
});
/** A touchpoint of the touchpoint map. */
export type Touchpoint = v.InferOutput<typeof TouchpointSchema>;
