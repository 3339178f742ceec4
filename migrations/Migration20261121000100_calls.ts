import { Migration } from '@mikro-orm/migrations';

/**
 * Call records (calls, participants, transcript segments, turn metrics), agent configurations, durable extraction
 * jobs, extracted customers/orders/order items and the audit log. Mirrors server/src/db/entities; the test
 * `migrations.test.ts` checks that the schema these statements build has no diff against the entities.
 */
export class Migration20261121000100_calls extends Migration {
  override up(): void {
    this.addSql(
      'create table `agent_configs` (`id` varchar(64) not null, `name` varchar(120) not null, `config` json not null, `version` int not null default 1, `created_at` datetime(3) not null, `updated_at` datetime(3) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql(
      'create table `audit_events` (`id` int unsigned not null auto_increment primary key, `actor_id` varchar(64) null, `actor_role` varchar(32) null, `action` varchar(64) not null, `target_type` varchar(32) not null, `target_id` varchar(64) not null, `details` json null, `created_at` datetime(3) not null) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql(
      'alter table `audit_events` add index `audit_events_target_type_target_id_index` (`target_type`, `target_id`)',
    );
    this.addSql('alter table `audit_events` add index `audit_events_created_at_index` (`created_at`)');
    this.addSql(
      'create table `calls` (`id` varchar(36) not null, `room_id` varchar(128) not null, `agent_id` varchar(64) null, `display_name` varchar(120) not null, `status` varchar(16) not null, `outcome` varchar(16) null, `end_reason` varchar(200) null, `redact_pii` tinyint(1) not null, `started_at` datetime(3) not null, `ended_at` datetime(3) null, primary key (`id`)) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql('alter table `calls` add unique `calls_room_id_unique` (`room_id`)');
    this.addSql('alter table `calls` add index `calls_agent_id_index` (`agent_id`)');
    this.addSql('alter table `calls` add index `calls_status_index` (`status`)');
    this.addSql('alter table `calls` add index `calls_started_at_index` (`started_at`)');
    this.addSql(
      'create table `customers` (`id` int unsigned not null auto_increment primary key, `call_id` varchar(36) not null, `name` varchar(200) null, `address` varchar(500) null, `phone` varchar(40) null, `email` varchar(200) null, `created_at` datetime(3) not null) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql('alter table `customers` add index `customers_call_id_index` (`call_id`)');
    this.addSql('alter table `customers` add index `customers_phone_index` (`phone`)');
    this.addSql(
      "create table `extraction_jobs` (`id` int unsigned not null auto_increment primary key, `call_id` varchar(36) not null, `status` varchar(16) not null, `attempts` int not null default 0, `max_attempts` int not null, `run_after` datetime(3) not null, `lease_owner` varchar(64) null, `lease_expires_at` datetime(3) null, `last_error` text null, `source` varchar(16) null, `result` json null, `confidence` double null, `review_status` varchar(16) not null default 'unreviewed', `reviewed_by` varchar(64) null, `reviewed_at` datetime(3) null, `created_at` datetime(3) not null, `updated_at` datetime(3) not null, `completed_at` datetime(3) null) default character set utf8mb4 engine = InnoDB",
    );
    this.addSql('alter table `extraction_jobs` add unique `extraction_jobs_call_id_unique` (`call_id`)');
    this.addSql(
      'alter table `extraction_jobs` add index `extraction_jobs_status_run_after_index` (`status`, `run_after`)',
    );
    this.addSql(
      'create table `orders` (`id` int unsigned not null auto_increment primary key, `call_id` varchar(36) not null, `customer_id` int unsigned not null, `source` varchar(16) not null, `confidence` double not null, `currency` varchar(3) null, `total` numeric(12,2) null, `notes` text null, `created_at` datetime(3) not null, `updated_at` datetime(3) not null) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql('alter table `orders` add unique `orders_call_id_unique` (`call_id`)');
    this.addSql('alter table `orders` add index `orders_customer_id_index` (`customer_id`)');
    this.addSql(
      'create table `order_items` (`id` int unsigned not null auto_increment primary key, `order_id` int unsigned not null, `position` int not null, `name` varchar(120) not null, `size` varchar(40) null, `quantity` int not null, `unit_price` numeric(12,2) null, `currency` varchar(3) null) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql('alter table `order_items` add index `order_items_order_id_index` (`order_id`)');
    this.addSql(
      'create table `participants` (`id` int unsigned not null auto_increment primary key, `call_id` varchar(36) not null, `peer_id` varchar(64) not null, `identity` varchar(128) not null, `display_name` varchar(120) not null, `role` varchar(32) not null, `joined_at` datetime(3) not null, `left_at` datetime(3) null, `left_reason` varchar(200) null) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql('alter table `participants` add index `participants_call_id_index` (`call_id`)');
    this.addSql(
      'alter table `participants` add unique `participants_call_id_peer_id_unique` (`call_id`, `peer_id`)',
    );
    this.addSql(
      'create table `transcript_segments` (`id` int unsigned not null auto_increment primary key, `call_id` varchar(36) not null, `segment_id` varchar(64) not null, `speaker` varchar(16) not null, `text` text not null, `start_ms` int not null, `end_ms` int not null, `interrupted` tinyint(1) not null default false, `redacted` tinyint(1) not null default false, `created_at` datetime(3) not null) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql(
      'alter table `transcript_segments` add index `transcript_segments_call_id_index` (`call_id`)',
    );
    this.addSql(
      'alter table `transcript_segments` add unique `transcript_segments_call_id_segment_id_unique` (`call_id`, `segment_id`)',
    );
    this.addSql(
      'create table `turn_metrics` (`id` int unsigned not null auto_increment primary key, `call_id` varchar(36) not null, `turn` int not null, `eou_ms` double not null, `asr_final_ms` double not null, `dialog_first_token_ms` double not null, `tts_first_audio_ms` double not null, `voice_to_voice_ms` double not null, `interrupted` tinyint(1) not null default false, `created_at` datetime(3) not null) default character set utf8mb4 engine = InnoDB',
    );
    this.addSql('alter table `turn_metrics` add index `turn_metrics_call_id_index` (`call_id`)');
    this.addSql(
      'alter table `turn_metrics` add unique `turn_metrics_call_id_turn_unique` (`call_id`, `turn`)',
    );
    this.addSql(
      'alter table `customers` add constraint `customers_call_id_foreign` foreign key (`call_id`) references `calls` (`id`) on delete cascade',
    );
    this.addSql(
      'alter table `extraction_jobs` add constraint `extraction_jobs_call_id_foreign` foreign key (`call_id`) references `calls` (`id`) on delete cascade',
    );
    this.addSql(
      'alter table `orders` add constraint `orders_call_id_foreign` foreign key (`call_id`) references `calls` (`id`) on delete cascade',
    );
    this.addSql(
      'alter table `orders` add constraint `orders_customer_id_foreign` foreign key (`customer_id`) references `customers` (`id`) on delete cascade',
    );
    this.addSql(
      'alter table `order_items` add constraint `order_items_order_id_foreign` foreign key (`order_id`) references `orders` (`id`) on delete cascade',
    );
    this.addSql(
      'alter table `participants` add constraint `participants_call_id_foreign` foreign key (`call_id`) references `calls` (`id`) on delete cascade',
    );
    this.addSql(
      'alter table `transcript_segments` add constraint `transcript_segments_call_id_foreign` foreign key (`call_id`) references `calls` (`id`) on delete cascade',
    );
    this.addSql(
      'alter table `turn_metrics` add constraint `turn_metrics_call_id_foreign` foreign key (`call_id`) references `calls` (`id`) on delete cascade',
    );
  }

  override down(): void {
    this.addSql('drop table if exists `order_items`');
    this.addSql('drop table if exists `orders`');
    this.addSql('drop table if exists `customers`');
    this.addSql('drop table if exists `extraction_jobs`');
    this.addSql('drop table if exists `turn_metrics`');
    this.addSql('drop table if exists `transcript_segments`');
    this.addSql('drop table if exists `participants`');
    this.addSql('drop table if exists `calls`');
    this.addSql('drop table if exists `audit_events`');
    this.addSql('drop table if exists `agent_configs`');
  }
}
