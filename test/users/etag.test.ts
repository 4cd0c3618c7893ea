import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from '../support/helper.js';

/** No lost updates: reads carry ETag, writes honour If-Match on every surface that reads and writes users. */

test('GET returns an ETag; PUT, PATCH and DELETE with a stale If-Match are 412 and change nothing', async (t) => {
  const api = await build(t);
  const admin = await api.admin();
  const { key } = await api.apiKey();
  const a = await api.register();
  const surfaces = [
    {
      read: ['GET', `/api/v1/users/${a.id}`],
      write: ['PATCH', `/api/v1/users/${a.id}`, { first_name: 'Patched' }],
      auth: { token: admin.token },
    },
    {
      read: ['GET', `/api/v1/users/${a.id}`],
      write: ['PUT', `/api/v1/users/${a.id}`, { first_name: 'Put' }],
      auth: { token: admin.token },
    },
    {
      read: ['GET', `/v1/users/${a.id}`],
      write: ['PUT', `/v1/users/${a.id}`, { profile: { first_name: 'Keyed' } }],
      auth: { apiKey: key },
    },
    {
      read: ['GET', `/api/users/profiles/${a.id}`],
      write: ['PUT', `/api/users/profiles/${a.id}`, { preferences: { theme: 'dark' } }],
      auth: { token: admin.token },
    },
  ] as const;
  for (const s of surfaces) {
    const first = await api.request(s.read[0], s.read[1], s.auth);
    const etag = String(first.headers.etag);
    assert.match(etag, /^"\d+"$/, s.read[1]);
    // Someone else changes the user meanwhile.
    const other = await api.request('PATCH', `/api/v1/users/${a.id}`, {
      token: admin.token,
      body: { bio: `changed under ${s.write[1]}` },
    });
    assert.notEqual(other.headers.etag, etag);
    const stale = await api.request(s.write[0], s.write[1], {
      ...s.auth,
      headers: { 'if-match': etag },
      body: s.write[2],
    });
    assert.equal(stale.status, 412, `${s.write[0]} ${s.write[1]}: ${stale.raw}`);
    assert.equal(stale.body.error.code, 'PRECONDITION_FAILED');
    // With the current tag (or none, or *) the write goes through, and answers the new tag.
    const current = String((await api.request(s.read[0], s.read[1], s.auth)).headers.etag);
    const fresh = await api.request(s.write[0], s.write[1], {
      ...s.auth,
      headers: { 'if-match': `"1", ${current}` },
      body: s.write[2],
    });
    assert.equal(fresh.status, 200, fresh.raw);
    assert.notEqual(fresh.headers.etag, current);
  }
  const after = await api.request('GET', `/api/v1/users/${a.id}`, { token: admin.token });
  assert.equal(after.body.data.preferences.theme, 'dark');
  assert.equal(
    (
      await api.request('PATCH', `/api/v1/users/${a.id}`, {
        token: admin.token,
        headers: { 'if-match': '*' },
        body: { bio: 'star' },
      })
    ).status,
    200,
  );
  assert.equal(
    (
      await api.request('PATCH', `/api/v1/users/${a.id}`, {
        token: admin.token,
        headers: { 'if-match': 'W/"garbage", "99999999999999999999"' },
        body: { bio: 'x' },
      })
    ).status,
    412,
  );

  // DELETE: stale is 412 and the user stays; current deletes.
  const etag = String(after.headers.etag);
  assert.equal(
    (await api.request('DELETE', `/api/v1/users/${a.id}`, { token: admin.token, headers: { 'if-match': etag } }))
      .status,
    412,
  );
  assert.equal((await api.request('GET', `/api/v1/users/${a.id}`, { token: admin.token })).status, 200);
  const now = String((await api.request('GET', `/v1/users/${a.id}`, { apiKey: key })).headers.etag);
  assert.equal(
    (await api.request('DELETE', `/v1/users/${a.id}`, { apiKey: key, headers: { 'if-match': now } })).status,
    200,
  );
});

test('the account API: GET /api/profile/ has an ETag and PUT honours If-Match', async (t) => {
  const api = await build(t);
  const a = await api.user();
  const auth = { authorization: `Token ${a.token}` };
  const etag = String((await api.request('GET', '/api/profile/', { headers: auth })).headers.etag);
  await api.request('PUT', '/api/profile/', { headers: auth, body: { first_name: 'One' } });
  const stale = await api.request('PUT', '/api/profile/', {
    headers: { ...auth, 'if-match': etag },
    body: { first_name: 'Two' },
  });
  assert.equal(stale.status, 412);
  assert.equal((await api.request('GET', '/api/profile/', { headers: auth })).body.first_name, 'One');
});
