import { Migration } from '@mikro-orm/migrations';

/**
 * The unredacted words of a redacted transcript segment, kept only until the call's extraction job reaches a final
 * state (the job clears them), so extraction can fill in the phone number and email the stored text hides.
 */
export class Migration20261121000200_extraction_text extends Migration {
  override up(): void {
    this.addSql('alter table `transcript_segments` add `extraction_text` text null after `redacted`');
  }

  override down(): void {
    this.addSql('alter table `transcript_segments` drop column `extraction_text`');
  }
}
