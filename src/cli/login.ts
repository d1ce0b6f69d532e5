import { Command, Option } from 'clipanion';
import { ConfigError } from '../errors.js';
import { storeCredential } from '../registry/credentials.js';
import { RegistryClient } from '../registry/client.js';
import { BaseCommand } from './base.js';
import { withRegistryOptions } from './flags.js';

export class LoginCommand extends withRegistryOptions(BaseCommand) {
  static override paths = [['login']];
  static override usage = Command.Usage({
    description: 'Check credentials against a registry and store them',
    details: `
      Authenticates to the registry with --username and a password from --password-stdin, and on success stores the credentials where docker and pycontainer look for them: the docker credential helper configured in ~/.docker/config.json, else its "auths" (file mode 0600).
    `,
    examples: [['Log in to GitHub Container Registry', 'echo "$TOKEN" | pycontainer login ghcr.io -u octocat --password-stdin']],
  });

  server = Option.String({ required: true, name: 'REGISTRY' });

  async run(): Promise<number> {
    const registry = this.server.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
    if (!this.username) throw new ConfigError('E_CREDENTIALS', 'login: give --username and pipe the password to --password-stdin');
    let password = this.password;
    if (password === undefined) {
      if (!this.passwordStdin) throw new ConfigError('E_CREDENTIALS', 'login: pipe the password to --password-stdin');
      password = '';
      for await (const chunk of this.context.stdin) password += chunk.toString();
      password = password.replace(/\r?\n$/, '');
    } else this.warn('--password on the command line is visible to other users of this machine; use --password-stdin');
    const secret = password;
    const client = new RegistryClient({
      insecure: this.insecureRegistry ?? [],
      credential: async () => ({ kind: 'basic', username: this.username!, password: secret, source: 'the given credentials' }),
    });
    // /v2/ with the credentials: 200 once authenticated (a token with no scope is enough for Bearer registries).
    const res = await client.http(registry).send({ method: 'GET', path: '/v2/', scopes: [] });
    await res.body.dump();
    const where = await storeCredential(registry, this.username, secret);
    this.context.stdout.write(`Login succeeded: credentials for ${registry} stored in ${where}\n`);
    return 0;
  }
}
