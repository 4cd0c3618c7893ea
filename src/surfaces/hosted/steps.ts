import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InteractionResults } from 'oidc-provider';
import type { InteractionView } from './views.js';

/**
 * What every way of signing in on the hosted page is given by interaction.routes.ts (the password's form there;
 * a mailed code, a passkey, an upstream provider in their own files): the interaction and its view, an HTML answer,
 * the hand-over of a result to the provider, and the result of a sign-in.
 */
export interface InteractionSteps {
  /** The interaction of this browser (its cookie), and what its pages show; an expired one is the provider's error. */
  viewOf(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ d: { uid: string; params: Record<string, unknown> }; view: InteractionView }>;
  html(reply: FastifyReply, body: string, status?: number): FastifyReply;
  /** Hands the result to the provider, which sends the browser on (303). */
  finish(request: FastifyRequest, reply: FastifyReply, result: InteractionResults): Promise<FastifyReply>;
  /** A sign-in's result: the account, the Usher session it started (linked when the authorization resumes), `amr`. */
  signedIn(accountId: string, sessionId: string, amr?: string[]): InteractionResults;
}
