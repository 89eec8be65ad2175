-- Canned DM texts, and where a team's run summaries go (sending them comes later).
CREATE TABLE dm_templates (
  id           bigserial PRIMARY KEY,
  team_id      bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  message_body text NOT NULL CHECK (length(message_body) BETWEEN 1 AND 2000),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, name)
);

CREATE TABLE notification_settings (
  team_id           bigint PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
  summary_frequency text NOT NULL CHECK (summary_frequency IN ('off', 'after_every_sync', 'daily', 'weekly')),
  emails            text[] NOT NULL DEFAULT '{}',
  slack_webhook_url text,
  telegram_chat_id  text,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
