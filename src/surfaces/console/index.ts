import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { statusOf } from '../../http/status.js';
import type { Surface } from '../../http/surface.js';
import { errorV1 } from '../api-v1/presenter.js';
import type { PictureUrl } from '../shared/links.js';
import { refuseUnknownQueryParameters } from '../shared/query.js';
import { sessionRoutes } from './session.routes.js';

/**
 * /console/api: the admin console's sign-in over the core, in the /api/v1 envelope. Its tag has no description, so
 * the document does not list it among the surfaces.
 */
export const consoleApi: Surface<{ core: Core; pictureUrl: PictureUrl; config: Config }> = {
  prefix: '/console/api',
  envelope: errorV1,
  status: statusOf,
  tag: { name: 'console' },
  async plugin(app, { core, pictureUrl, config }) {
    refuseUnknownQueryParameters(app);
    sessionRoutes(app, core, pictureUrl, config.refreshTokenTtl);
  },
};
