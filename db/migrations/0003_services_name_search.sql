-- A trigram index on service names, so a substring search costs its matches, not the account's
-- size (SQLite FTS5, external content: the index holds only the trigrams; triggers keep it in step).
CREATE VIRTUAL TABLE `services_name_fts` USING fts5(`name`, content='services', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `services_name_fts_insert` AFTER INSERT ON `services` BEGIN
  INSERT INTO `services_name_fts`(rowid, `name`) VALUES (new.id, new.name);
END;
--> statement-breakpoint
CREATE TRIGGER `services_name_fts_delete` AFTER DELETE ON `services` BEGIN
  INSERT INTO `services_name_fts`(`services_name_fts`, rowid, `name`) VALUES ('delete', old.id, old.name);
END;
--> statement-breakpoint
CREATE TRIGGER `services_name_fts_update` AFTER UPDATE OF `name` ON `services` BEGIN
  INSERT INTO `services_name_fts`(`services_name_fts`, rowid, `name`) VALUES ('delete', old.id, old.name);
  INSERT INTO `services_name_fts`(rowid, `name`) VALUES (new.id, new.name);
END;
--> statement-breakpoint
INSERT INTO `services_name_fts`(`services_name_fts`) VALUES ('rebuild');
