-- Issue 16: connection names are unique, case-insensitively ("Webshop" and "webshop" are one name).
-- Older databases may already hold such twins. The oldest keeps its name; every later twin gets
-- its id appended ("Webshop (c1a2b3c4d5e6)"): ids are unique, so the new names cannot collide and
-- the migration cannot fail. Messages keep the name they were accepted under.
-- NOCASE folds ASCII letters only; the service (connections.create / update) also compares
-- non-ASCII letters without case before it writes.
UPDATE connections
   SET name = name || ' (' || id || ')'
 WHERE EXISTS (
   SELECT 1 FROM connections AS older
    WHERE older.name = connections.name COLLATE NOCASE
      AND (older.created_at < connections.created_at
           OR (older.created_at = connections.created_at AND older.id < connections.id))
 );

CREATE UNIQUE INDEX connections_name_unique ON connections (name COLLATE NOCASE);
