import { Migration } from '@mikro-orm/migrations';

/**
 * Handoff requests: the AI asked for a person in a call. `status` goes pending -> accepted | expired | cancelled
 * (the call ended first). `summary` (reason, customer name, order so far, last turns, sentiment) is customer data:
 * it lives and dies with its call (foreign key cascade, so the retention sweep deletes it).
 */
export class Migration20261204210000_handoff_requests extends Migration {
  override up(): void {
    this.addSql(
      'create table `handoff_requests` (`id` varchar(36) not null, `call_id` varchar(36) not null, ' +
        '`room_id` varchar(128) not null, `reason` varchar(500) not null, `status` varchar(16) not null, ' +
        '`summary` json not null, `timeout_s` int unsigned not null, `created_at` datetime(3) not null, ' +
        '`accepted_by` varchar(64) null, `resolved_at` datetime(3) null, primary key (`id`)) ' +
        'default character set utf8mb4 engine = InnoDB',
    );
    this.addSql('alter table `handoff_requests` add index `handoff_requests_call_id_index` (`call_id`)');
    this.addSql('alter table `handoff_requests` add index `handoff_requests_status_index` (`status`)');
    this.addSql(
      'alter table `handoff_requests` add constraint `handoff_requests_call_id_foreign` foreign key (`call_id`) ' +
        'references `calls` (`id`) on delete cascade',
    );
    this.addSql('alter table `audit_events` add index `audit_events_actor_id_index` (`actor_id`)');
    this.addSql('alter table `audit_events` add index `audit_events_action_index` (`action`)');
  }

  override down(): void {
    this.addSql('alter table `audit_events` drop index `audit_events_action_index`');
    this.addSql('alter table `audit_events` drop index `audit_events_actor_id_index`');
    this.addSql('drop table if exists `handoff_requests`');
  }
}
