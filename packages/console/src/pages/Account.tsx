import { PageTitle } from '../components.js';
import { LinkedAccounts } from './account/LinkedAccounts.js';
import { Passkeys } from './account/Passkeys.js';

/** My account: the signed-in user's own sign-in settings, one section each (each in pages/account/). */
export function AccountPage() {
  return (
    <div class="page">
      <PageTitle title="My account">My account</PageTitle>
      <Passkeys />
      <LinkedAccounts />
    </div>
  );
}
