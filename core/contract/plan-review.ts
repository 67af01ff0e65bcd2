import { z } from 'zod';
import { DirectionSchema } from './common';
import { plainText } from './text';

/** The verksamhetsplan's state and KS's ambition loop (core/domain/plan-rules.ts holds the rules). */

export const PlanStateSchema = z.enum(['draft', 'submitted', 'approved']);

export const PlanStatusSchema = z.object({
  year: z.number().int(),
  organisation: z.string(),
  state: PlanStateSchema,
  /** 0 until the plan's state first changes; every change of state adds one. */
  version: z.number().int(),
  /** The name of who last changed the state (null: never changed). */
  changedBy: z.string().nullable(),
  changedAt: z.string().nullable(),
});

const BaseVersion = z.number().int().min(0).describe('The version you read; another one is 409 CONFLICT and nothing is written.');
const Text = plainText(z.string().trim().min(1).max(4000));

export const PlanTransitionRequestSchema = z.object({ baseVersion: BaseVersion }).strict();

export const AmbitionRequestStateSchema = z.enum(['open', 'answered', 'met', 'accepted']);

export const AmbitionRequestEventSchema = z.object({
  action: z.enum(['requested', 'repeated', 'answered', 'accepted', 'met']),
  /** The request's state after the step. */
  state: AmbitionRequestStateSchema,
  /** The centre's comment (requested, repeated, accepted) or the organisation's motivation (answered). */
  text: z.string().nullable(),
  /** The organisation's årsmål when the step was taken. */
  orgTarget: z.number().nullable(),
  at: z.string(),
  /** The user id (token `sub`). */
  by: z.string(),
  byName: z.string().nullable(),
});

export const AmbitionRequestSchema = z.object({
  state: AmbitionRequestStateSchema,
  /** met or accepted. */
  closed: z.boolean(),
  /** 1 when sent; every step adds one. */
  version: z.number().int(),
  /** The centre's latest comment (the request, or its repetition). */
  comment: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string(),
  motivation: z.string().nullable(),
  answeredAt: z.string().nullable(),
  answeredBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  events: z.array(AmbitionRequestEventSchema),
});

/** An organisation's årsmål under review: KF's and its own, the ambition flag, and the centre's request on it. */
export const AmbitionItemSchema = z.object({
  organisation: z.string(),
  indicatorId: z.number().int(),
  code: z.string(),
  title: z.string(),
  unit: z.string(),
  direction: DirectionSchema,
  kfTarget: z.number().nullable(),
  orgTarget: z.number().nullable(),
  belowKfAmbition: z.boolean(),
  request: AmbitionRequestSchema.nullable(),
});

export const AmbitionReviewSchema = z.object({
  year: z.number().int(),
  /** The organisation the list is for; null for the centre's list across all. */
  organisation: z.string().nullable(),
  items: z.array(AmbitionItemSchema),
});

export const SendAmbitionRequestSchema = z.object({ baseVersion: BaseVersion, comment: Text }).strict();
export const AnswerAmbitionRequestSchema = z.object({ baseVersion: BaseVersion, motivation: Text }).strict();
export const AcceptAmbitionRequestSchema = z.object({ baseVersion: BaseVersion, comment: Text.optional() }).strict();

export type PlanState = z.infer<typeof PlanStateSchema>;
export type PlanStatus = z.infer<typeof PlanStatusSchema>;
export type PlanTransitionRequest = z.infer<typeof PlanTransitionRequestSchema>;
export type AmbitionRequestState = z.infer<typeof AmbitionRequestStateSchema>;
export type AmbitionRequest = z.infer<typeof AmbitionRequestSchema>;
export type AmbitionItem = z.infer<typeof AmbitionItemSchema>;
export type AmbitionReview = z.infer<typeof AmbitionReviewSchema>;
export type SendAmbitionRequest = z.infer<typeof SendAmbitionRequestSchema>;
export type AnswerAmbitionRequest = z.infer<typeof AnswerAmbitionRequestSchema>;
export type AcceptAmbitionRequest = z.infer<typeof AcceptAmbitionRequestSchema>;
