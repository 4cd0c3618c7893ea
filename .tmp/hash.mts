import { hash, verify } from '@node-rs/argon2';
const P = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };
let t0 = performance.now(); let h = '';
for (let i = 0; i < 20; i++) h = await hash('SecurePass123!', P);
console.log('hash ms', ((performance.now() - t0) / 20).toFixed(1));
t0 = performance.now();
for (let i = 0; i < 20; i++) await verify(h, 'SecurePass123!');
console.log('verify ms', ((performance.now() - t0) / 20).toFixed(1));
