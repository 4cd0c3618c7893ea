import type { Command } from './command.js';
import { apikeyCreate, apikeyList, apikeyRevoke } from './commands/apikey.js';
import { appCreate, appDelete, appGet, appList, appRotateSecret, appUpdate } from './commands/app.js';
import { exportCommand } from './commands/export.js';
import { idpAdd, idpList, idpRemove, idpUpdate } from './commands/idp.js';
import { importCommand } from './commands/import.js';
import { keysList, keysRotate } from './commands/keys.js';
import { migrate } from './commands/migrate.js';
import { orgAdd, orgList, orgMemberAdd, orgMemberRemove, orgRemove, orgUpdate } from './commands/org.js';
import { roleAdd, roleList, roleRemove, roleUpdate, userRoles } from './commands/role.js';
import { serve } from './commands/serve.js';
import {
  webhookAdd,
  webhookDeliveries,
  webhookList,
  webhookRemove,
  webhookRotateSecret,
  webhookTest,
  webhookUpdate,
} from './commands/webhook.js';
import {
  userCreate,
  userDelete,
  userGet,
  userList,
  userRestore,
  userSetPassword,
  userSetRole,
  userSetStatus,
} from './commands/user.js';

/**
 * Every `usher` command by the words that call it, in the order the help
 * lists them: the one table the dispatcher (usher.ts) and the help (help.ts) read.
 */
export const COMMANDS: Readonly<Record<string, Command>> = {
  serve,
  migrate,
  'user create': userCreate,
  'user list': userList,
  'user get': userGet,
  'user set-role': userSetRole,
  'user set-status': userSetStatus,
  'user set-password': userSetPassword,
  'user delete': userDelete,
  'user restore': userRestore,
  'user roles': userRoles,
  'apikey create': apikeyCreate,
  'apikey list': apikeyList,
  'apikey revoke': apikeyRevoke,
  'app create': appCreate,
  'app list': appList,
  'app get': appGet,
  'app update': appUpdate,
  'app delete': appDelete,
  'app rotate-secret': appRotateSecret,
  'idp list': idpList,
  'idp add': idpAdd,
  'idp update': idpUpdate,
  'idp remove': idpRemove,
  'webhook list': webhookList,
  'webhook add': webhookAdd,
  'webhook update': webhookUpdate,
  'webhook remove': webhookRemove,
  'webhook rotate-secret': webhookRotateSecret,
  'webhook test': webhookTest,
  'webhook deliveries': webhookDeliveries,
  'org list': orgList,
  'org add': orgAdd,
  'org update': orgUpdate,
  'org remove': orgRemove,
  'org member add': orgMemberAdd,
  'org member remove': orgMemberRemove,
  'role list': roleList,
  'role add': roleAdd,
  'role update': roleUpdate,
  'role remove': roleRemove,
  'keys list': keysList,
  'keys rotate': keysRotate,
  import: importCommand,
  export: exportCommand,
};
