import { Migration } from '@mikro-orm/migrations';

/** Stage failures during a call (the agent worker's `stage.failed` events) and how the call carried on. */
export class Migration20261204000000_stage_failures extends Migration {
  override up(): void {
    this.addSql(
      'create table `stage_failures` (`id` int unsigned not null auto_increment primary key, `call_id` varchar(36) not null, `stage` varchar(16) not null, `provider` varchar(64) not null, `message` varchar(500) not null, `recovery` varchar(16) not null, `fallback_provider` varchar(64) null, `at_ms` int not null, `created_at` datetime(3) not null) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql('alter table `stage_failures` add index `stage_failures_call_id_index` (`call_id`)');
    this.addSql(
      'alter table `stage_failures` add constraint `stage_failures_call_id_foreign` foreign key (`call_id`) references `calls` (`id`) on delete cascade',
    );
  }

  override down(): void {
    this.addSql('drop table if exists `stage_failures`');
  }
}
