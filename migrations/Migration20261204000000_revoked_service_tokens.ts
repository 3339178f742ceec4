import { Migration } from '@mikro-orm/migrations';

/**
 * Deny-list of service tokens (agent workers) by jti: `node server/src/auth/cli.ts revoke-service-token --jti <jti>`
 * adds a row, and the agent gateway refuses a token whose jti is listed. Rows may be deleted once `expires_at` passed.
 */
export class Migration20261204000000_revoked_service_tokens extends Migration {
  override up(): void {
    this.addSql(
      'create table `revoked_service_tokens` (`jti` varchar(64) not null, `revoked_at` datetime(3) not null, ' +
        '`reason` varchar(200) null, primary key (`jti`)) default character set utf8mb4 engine = InnoDB',
    );
  }

  override down(): void {
    this.addSql('drop table if exists `revoked_service_tokens`');
  }
}
