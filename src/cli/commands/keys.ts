import type { SigningKeyInfo } from '../../core/auth/signing-keys.service.js';
import { AS, type Command, str } from '../command.js';
import { operatorOrSystem } from '../context.js';
import type { Output } from '../output.js';

/** `usher keys …`: the token-signing keys, listed and rotated (public facts only; never a private key). */

const COLUMNS = ['kid', 'alg', 'state', 'created_at', 'retires_at'];

const print = (out: Output, keys: SigningKeyInfo[]) =>
  out.rows(
    keys.map((k) => ({ kid: k.kid, alg: k.alg, state: k.state, created_at: k.createdAt, retires_at: k.retiresAt })),
    COLUMNS,
  );

export const keysList: Command = {
  summary: 'List the token-signing keys: next, current, and retired ones still verifying',
  usage: 'usher keys list [--json]',
  options: { ...AS },
  async run({ values, out, open }) {
    const { core } = await open();
    print(out, await core.signingKeys.list(await operatorOrSystem(core, str(values.as))));
    return 0;
  },
};

export const keysRotate: Command = {
  summary: 'Rotate the signing keys: the published next key signs, the current one retires',
  usage: 'usher keys rotate [--json]',
  options: { ...AS },
  async run({ values, out, open }) {
    const { core } = await open();
    const retiring = core.keys.alg === 'HS256' ? undefined : core.keys.current().kid;
    print(out, await core.signingKeys.rotate(await operatorOrSystem(core, str(values.as))));
    if (!out.json)
      out.note(
        `key ${retiring} retired; it verifies the tokens it signed until they expire. Running instances switch at once through Redis, else within 30 s`,
      );
    return 0;
  },
};
