import { Migration } from '@mikro-orm/migrations';

/** Accounts and refresh-token families (rotation with reuse detection). */
export class Migration20261121000000_auth extends Migration {
  override name = 'Migration20261121000000_auth';

  override up(): void {
    this.addSql(`create table users (
      id char(36) not null,
      email varchar(254) not null,
      password_hash varchar(255) not null,
      role enum('customer', 'human_agent', 'supervisor', 'admin', 'service') not null,
      display_name varchar(128) not null,
      created_at datetime(3) not null,
      disabled_at datetime(3) null,
      primary key (id),
      unique key users_email_unique (email)
    ) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB`);

    this.addSql(`create table refresh_tokens (
      id char(36) not null,
      user_id char(36) not null,
      token_hash char(64) not null,
      family_id char(36) not null,
      expires_at datetime(3) not null,
      rotated_at datetime(3) null,
      revoked_at datetime(3) null,
      created_at datetime(3) not null,
      primary key (id),
      unique key refresh_tokens_token_hash_unique (token_hash),
      key refresh_tokens_family_id_index (family_id),
      key refresh_tokens_user_id_index (user_id),
      constraint refresh_tokens_user_id_foreign foreign key (user_id) references users (id) on delete cascade
    ) default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB`);
  }

  override down(): void {
    this.addSql('drop table if exists refresh_tokens');
    this.addSql('drop table if exists users');
  }
}
