import { Migration } from '@mikro-orm/migrations';

/**
 * Callback requests: nobody took a handoff in time and the caller said yes to being called back. `consent` and
 * `consented_at` record that yes (a row never exists without it); `phone` is the number the caller gave, if any.
 * Customer data: it lives and dies with its call (foreign key cascade, so the retention sweep deletes it).
 */
export class Migration20261205000000_callback_requests extends Migration {
  override up(): void {
    this.addSql(
      'create table `callback_requests` (`id` varchar(36) not null, `call_id` varchar(36) not null, ' +
        '`room_id` varchar(128) not null, `customer_name` varchar(200) null, `phone` varchar(32) null, ' +
        '`consent` tinyint(1) not null, `consented_at` datetime(3) not null, ' +
        "`status` varchar(16) not null default 'open', primary key (`id`)) " +
        'default character set utf8mb4 engine = InnoDB',
    );
    this.addSql('alter table `callback_requests` add index `callback_requests_call_id_index` (`call_id`)');
    this.addSql(
      'alter table `callback_requests` add index `callback_requests_status_index` (`status`, `consented_at`)',
    );
    this.addSql(
      'alter table `callback_requests` add constraint `callback_requests_call_id_foreign` foreign key (`call_id`) ' +
        'references `calls` (`id`) on delete cascade',
    );
  }

  override down(): void {
    this.addSql('drop table if exists `callback_requests`');
  }
}
