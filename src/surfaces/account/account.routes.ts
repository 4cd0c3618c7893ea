import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { selfOf } from '../../core/policy.js';
import { decodePicture } from '../../core/users/picture.js';
import { clientOf, requirePrincipal } from '../../http/principal.js';
import type { PictureUrl } from '../shared/links.js';
import { PlainError } from '../shared/errors.js';
import { errorResponses } from '../shared/responses.js';
import { Type } from '@sinclair/typebox';
import { LoginBody, MfaRequired, mfaRequired } from '../shared/schemas.js';
import { ifMatchOf, withEtag } from '../shared/etag.js';
import { accountProfile, loginAccount } from './presenter.js';
import {
  AccountProfile,
  ChangePasswordBody,
  LoginResponse,
  LogoutBody,
  Message,
  ProfileBody,
  Registered,
  RegisterBody,
} from './schemas.js';

// Routes that take an image accept bodies up to 3 MB (a 2 MB picture is ~2.7 MB in base64).
const IMAGE_BODY_LIMIT = 3 * 1024 * 1024;
const security: Array<Record<string, string[]>> = [{ token: [] }, { bearer: [] }, { apiKey: [] }];
const errors = (...codes: number[]) => errorResponses(PlainError, ...codes);

export function accountRoutes(app: FastifyInstance, core: Core, pictureUrl: PictureUrl): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/register/',
    {
      bodyLimit: IMAGE_BODY_LIMIT,
      config: { rateLimit: 'register', idempotent: true },
      schema: {
        summary: 'Register a new user',
        body: RegisterBody,
        response: { 201: Registered, ...errors(400, 403, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const picture = b.image === undefined ? undefined : decodePicture(b.image);
      const user = await core.users.create(
        request.principal,
        {
          username: b.username,
          email: b.email,
          password: b.password,
          firstName: b.first_name,
          lastName: b.last_name,
          picture,
        },
        { client: clientOf(request) },
      );
      return reply.code(201).send({ message: 'User registered successfully', user: accountProfile(user, pictureUrl) });
    },
  );

  r.post(
    '/login/',
    {
      config: { rateLimit: 'login' },
      schema: {
        summary: 'Log in; returns a token (or an MFA challenge)',
        body: LoginBody,
        response: { 200: Type.Union([LoginResponse, MfaRequired]), ...errors(400, 401, 403, 429, 503) },
      },
    },
    async (request) => {
      const result = await core.auth.login(request.body, clientOf(request));
      return result.mfa ? mfaRequired(result.mfa) : loginAccount(result.tokens);
    },
  );

  r.get(
    '/profile/',
    {
      config: { versioned: true },
      schema: {
        security,
        summary: 'The profile of the authenticated user',
        response: { 200: AccountProfile, ...errors(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const user = await core.users.get(principal, selfOf(principal));
      return withEtag(reply, user, accountProfile(user, pictureUrl));
    },
  );

  r.put(
    '/profile/',
    {
      bodyLimit: IMAGE_BODY_LIMIT,
      config: { versioned: true, rateLimit: 'password' },
      schema: {
        security,
        summary: "Update the authenticated user's profile (only the given fields)",
        body: ProfileBody,
        response: { 200: AccountProfile, ...errors(400, 401, 403, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const b = request.body;
      const picture = b.image === undefined ? undefined : b.image === null ? null : decodePicture(b.image);
      const user = await core.users.update(
        principal,
        selfOf(principal),
        {
          username: b.username,
          email: b.email,
          firstName: b.first_name,
          lastName: b.last_name,
          picture,
          currentPassword: b.current_password,
        },
        ifMatchOf(request),
      );
      return withEtag(reply, user, accountProfile(user, pictureUrl));
    },
  );

  r.put(
    '/change_password/',
    {
      config: { rateLimit: 'password' },
      schema: {
        security,
        summary: "Change the authenticated user's password (ends the user's other sessions)",
        body: ChangePasswordBody,
        response: { 200: Message, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      await core.users.changePassword(requirePrincipal(request), request.body.old_password, request.body.new_password);
      return { message: 'Password changed successfully' };
    },
  );

  r.post(
    '/logout/',
    {
      schema: {
        security,
        summary: 'Log out: the token is refused from now on',
        body: LogoutBody,
        response: { 200: Message, ...errors(400, 401, 403, 422, 429) },
      },
    },
    async (request) => {
      await core.auth.logout(requirePrincipal(request));
      return { message: 'Logged out successfully' };
    },
  );
}
