import type {
  Application,
  ApplicationList,
  CreateApplicationInput,
  CreatedApplication,
  ListApplicationsQuery,
  PatchApplicationInput,
  RotatedApplication,
} from './api-types.js';
import { type Transport, route } from './transport.js';

/**
 * Applications, the OpenID Connect clients: created, changed, deleted and given new secrets by signed-in admins;
 * listed and read by moderators too. `id` may be the application's id or its `client_id`.
 */
export const applicationMethods = (t: Transport) => ({
  /** The answer's `client_secret` (web and machine applications) is shown only this once; null for spa and native. */
  create: async (input: CreateApplicationInput): Promise<CreatedApplication> =>
    (await t.request<{ data: CreatedApplication }>('POST', '/applications', { body: input })).data,
  /** One page, newest first, optionally by `search` (in the name); `cursor` is the previous page's `next_cursor`. */
  list: async (query: ListApplicationsQuery = {}): Promise<ApplicationList> => {
    const { data, pagination } = await t.request<ApplicationList>('GET', '/applications', { query });
    return { data, pagination };
  },
  get: async (id: string): Promise<Application> =>
    (await t.request<{ data: Application }>('GET', route`/applications/${id}`)).data,
  /** PATCH: changes only the given fields (lists replaced whole); `logo_uri: null` clears the logo. */
  update: async (id: string, input: PatchApplicationInput): Promise<Application> =>
    (await t.request<{ data: Application }>('PATCH', route`/applications/${id}`, { body: input })).data,
  delete: async (id: string): Promise<void> => void (await t.request('DELETE', route`/applications/${id}`)),
  /** A new `client_secret` (web and machine applications), shown only in this answer; the old one stops working. */
  rotateSecret: async (id: string): Promise<RotatedApplication> =>
    (await t.request<{ data: RotatedApplication }>('POST', route`/applications/${id}/secret`)).data,
});
