import type { Command } from '../command.js';

/** `usher serve`: the server in this process. */
export const serve: Command = {
  summary: 'Start the server in this process (npm start also sets two V8 memory flags)',
  usage: 'usher serve',
  options: {},
  async run() {
    await import('../../server.js');
    return -1; // the server keeps the process alive and exits on its own
  },
};
