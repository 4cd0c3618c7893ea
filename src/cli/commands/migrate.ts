import type { Command } from '../command.js';

/** `usher migrate`: opening the core migrates the database (with a lock, as the server does at start). */
export const migrate: Command = {
  summary: "Bring the database's schema up to date",
  usage: 'usher migrate',
  options: {},
  async run({ out, open }) {
    await open();
    out.note('the database is up to date');
    return 0;
  },
};
