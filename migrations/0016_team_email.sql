-- A team's contact email, shown as /me.email (a string in the original API, never null):
-- given with `teams create NAME --email E` or `teams set-email`, empty until then.
ALTER TABLE teams ADD COLUMN email text NOT NULL DEFAULT '' CHECK (length(email) <= 254);
