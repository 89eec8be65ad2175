-- As the original API has them: telegramOverride is a boolean (or null for the team's
-- setting), and emailMode defaults to any. Texts stored before that keep their meaning
-- when they said true or false; anything else falls back to the team's setting.
ALTER TABLE streams ALTER COLUMN telegram_override TYPE boolean
  USING (CASE lower(telegram_override) WHEN 'true' THEN true WHEN 'false' THEN false END);
ALTER TABLE streams ALTER COLUMN email_mode SET DEFAULT 'any';
