import { CodedError } from '@voiceroom/protocol';

/** The server's environment is invalid: names each variable to fix. */
export class ConfigError extends CodedError<'config_invalid'> {
  readonly issues: { variable: string; message: string }[];

  constructor(issues: { variable: string; message: string }[]) {
    super(
      'config_invalid',
      `Invalid server configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}. ` +
        'Fix these environment variables and start again.',
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
