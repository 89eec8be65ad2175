#!/usr/bin/env python3
"""Writes api/openapi.json, the OpenAPI 3.1 description of leadstream's API.

Edit this file, not the JSON, then run:  python3 api/openapi.py > api/openapi.json
ctest checks that the two agree (openapi_generated), lints the JSON with @redocly/cli
(openapi_lint), validates every answer of the integration suite against it with ajv
(openapi_contract), and a unit test checks that it names exactly the routed operations.

Objects we answer are closed (additionalProperties: false): a field added to a JSON writer
and not here fails the contract test. Request bodies stay open, as the daemon ignores
unknown fields. `x-ext: true` marks leadstream's additions to the original API.
"""
import json

def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def obj(props, required=None, ext=(), nullable=False, closed=True):
    o = {"type": ["object", "null"] if nullable else "object", "properties": props}
    o["required"] = list(props) if required is None else required
    if closed: o["additionalProperties"] = False
    for name in ext: o["properties"][name] = dict(o["properties"][name], **{"x-ext": True})
    return o
def arr(items): return {"type": "array", "items": items}
def nul(schema):
    s = dict(schema)
    if "$ref" in s: return {"oneOf": [s, {"type": "null"}]}
    t = s.get("type")
    s["type"] = [t, "null"] if isinstance(t, str) else list(t) + ["null"]
    if "enum" in s: s["enum"] = s["enum"] + [None]
    return s
STR = {"type": "string"}; INT = {"type": "integer"}; BOOL = {"type": "boolean"}; NUM = {"type": "number"}
TIME = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 1}
def enum(*v): return {"type": "string", "enum": list(v)}
TIER = enum("starter", "growth", "pro")

# api/errors.cpp's table: each `error` code and its status (a unit test checks they agree).
ERROR_STATUSES = {
  "invalid_request": 400, "orphan_label": 400, "stream_archived": 400, "stream_cap_exceeded": 400,
  "invalid_api_key": 401, "forbidden": 403, "subscription_required": 403, "free_account_limit": 403,
  "budget_exhausted": 403, "quota_exceeded": 403, "not_found": 404, "handle_not_found": 404, "lead_not_found": 404,
  "profile_missing": 404, "method_not_allowed": 405, "conflict": 409, "gone": 410, "payload_too_large": 413,
  "unsupported_media_type": 415, "unprocessable": 422, "handle_protected": 422, "rate_limited": 429,
  "credits_exhausted": 429, "upstream_error": 502, "unavailable": 503, "handle_lookup_failed": 503, "internal": 500}

schemas = {}
schemas["Error"] = dict(obj({
  "error": {"type": "string", "enum": list(ERROR_STATUSES)},
  "message": STR,
  "details": arr(obj({"field": STR, "problem": STR})),
  "orphans": arr(STR)}, required=["error", "message"]),
  **{"description": "Every non-2xx answer. x-error-statuses gives each code's HTTP status.",
     "x-error-statuses": ERROR_STATUSES})
schemas["Billing"] = dict(obj({"tier": TIER, "change": INT, "quantity": INT, "effective": enum("now", "period_end")}),
  **{"description": "(ext) What happened to the Stripe quantity of a tier.", "x-ext": True})
schemas["Account"] = obj({
  "id": ID, "xHandle": STR, "tier": TIER, "isActive": BOOL, "profileImageUrl": nul(STR),
  "lastKnownFollowerCount": nul(INT), "lastKnownTweetCount": nul(INT), "tags": arr(STR), "addedAt": TIME,
  "assignedSegmentIds": arr(INT), "pendingTier": nul(TIER), "pendingTierEffectiveAt": nul(TIME),
  "xUserId": nul(STR), "lastSyncedAt": nul(TIME), "billingStatus": enum("ok", "pending", "error"),
  "billingError": nul(STR)}, ext=["xUserId", "lastSyncedAt", "billingStatus", "billingError"])
filters = {"type": "object", "additionalProperties": arr(STR),
  "description": "Filter group to labels: see GET /lookups/segment-labels."}
schemas["Segment"] = obj({
  "id": ID, "userFacingId": STR, "name": nul(STR), "description": STR, "genderValues": arr(STR),
  "appliedSearchFilters": filters, "followerCountTiers": arr(STR), "linkedStreamCount": INT,
  "createdAt": TIME, "updatedAt": TIME, "keywords": arr(STR), "excludeKeywords": arr(STR),
  "structure": dict(obj({"roles": arr(STR), "topics": arr(arr(STR)), "qualifiers": arr(STR), "excluded": arr(STR)}),
    description="How the local classifier reads the segment: any of the roles, every topic group (any of its "
    "members), qualifiers (company: founders of labs, podcasts or communities do not count) and what excludes a "
    "profile. Entries are concepts of the lexicon or words. Correct it with keywords (each a phrase of its own; "
    "'a or b' is one group, 'role:word' makes a word a role) and excludeKeywords.")},
  ext=["keywords", "excludeKeywords", "structure"])
schemas["SegmentInput"] = obj({
  "description": {"type": "string", "minLength": 3, "maxLength": 2000},
  "name": nul({"type": "string", "maxLength": 200}),
  "genderValues": arr(enum("male", "female", "nonbinary", "unknown")), "appliedSearchFilters": filters,
  "followerCountTiers": arr(STR), "keywords": dict(arr(STR), **{"x-ext": True}),
  "excludeKeywords": dict(arr(STR), **{"x-ext": True})}, required=["description"], closed=False)
schemas["SegmentLabels"] = dict(obj({
  "appliedSearchFilters": arr(obj({"group": STR, "ext": BOOL, "labels": arr(STR)})),
  "followerCountTiers": arr(obj({"value": STR, "alias": STR, "minFollowers": INT, "maxFollowers": nul(INT)})),
  "genderValues": arr(STR)}), **{"x-ext": True})
recipients = obj({"to": arr(STR), "cc": arr(STR), "format": enum("csv")}, required=["to", "cc"], nullable=True)
schemas["Stream"] = obj({
  "id": ID, "name": STR,
  "pairs": arr(obj({"pairId": ID, "accountId": ID, "xHandle": STR, "tier": TIER, "segmentId": ID, "segmentName": STR})),
  "syncTimes": arr({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}), "timezone": STR,
  "autoEnrichLinkedin": BOOL, "autoEnrichEmail": BOOL, "emailMode": enum("verified", "any"),
  "emailDigestOverride": nul(enum("after_every_sync", "daily", "weekly", "off")), "telegramOverride": nul(BOOL),
  "deliveryDestination": enum("leads_only", "leads_plus_webhook"), "webhookUrl": nul(STR),
  "csvEmailRecipients": recipients, "isActive": BOOL, "isArchived": BOOL, "createdAt": TIME, "updatedAt": TIME,
  "schedule": obj({"cron": STR}, nullable=True), "nextRunAt": nul(TIME), "lastRunAt": nul(TIME),
  "webhookSecret": nul(STR)},
  required=["id", "name", "pairs", "syncTimes", "timezone", "autoEnrichLinkedin", "autoEnrichEmail", "emailMode",
            "emailDigestOverride", "telegramOverride", "deliveryDestination", "webhookUrl", "csvEmailRecipients",
            "isActive", "isArchived", "createdAt", "updatedAt", "schedule", "nextRunAt", "lastRunAt"],
  ext=["schedule", "nextRunAt", "lastRunAt", "webhookSecret"])
# (nul() copies: setting a description never touches the shared STR.)
schemas["Stream"]["properties"]["webhookSecret"]["description"] = \
  "(ext) The signing secret of a leads_plus_webhook stream's own subscription; GET /streams/{id} only."
settings_props = {
  "name": STR, "syncTimes": arr(STR), "timezone": STR, "schedule": obj({"cron": STR}, nullable=True, closed=False),
  "autoEnrichLinkedin": BOOL, "autoEnrichEmail": BOOL, "emailMode": enum("verified", "any"),
  "emailDigestOverride": nul(enum("after_every_sync", "daily", "weekly", "off")), "telegramOverride": nul(BOOL),
  "deliveryDestination": enum("leads_only", "leads_plus_webhook"), "webhookUrl": nul(STR),
  "csvEmailRecipients": obj({"to": arr(STR), "cc": arr(STR), "format": enum("csv")},
                            required=[], nullable=True, closed=False)}
pair_input = {"type": "object", "properties": {
  "accountId": ID, "accountHandle": STR, "accountTier": TIER, "segmentId": ID, "segment": ref("SegmentInput")}}
schemas["StreamInput"] = {"type": "object", "required": ["pairs"],
  "properties": dict(settings_props, pairs=dict(arr(pair_input), minItems=1, maxItems=50))}
schemas["StreamPatch"] = {"type": "object",
  "properties": dict(settings_props, pairs=dict(arr(pair_input), minItems=1, maxItems=50),
                     isActive=BOOL, isArchived=BOOL)}
BILLING_DELTA = nul(enum("stripe_quantity_incremented", "stripe_quantity_decremented"))
account_outcome = obj({"handle": STR, "accountId": ID, "accountCreated": BOOL,
  "billingDelta": BILLING_DELTA,
  "billing": nul(ref("Billing"))}, ext=["billing"])
schemas["AccountOutcome"] = account_outcome
schemas["Run"] = obj({
  "id": ID, "streamId": ID, "streamName": STR, "trackedXAccountId": ID, "xHandle": STR, "segmentId": nul(INT),
  "segmentName": nul(STR), "source": enum("cron", "manual"), "status": enum("queued", "running", "succeeded", "failed"),
  "mode": enum("sync-then-search", "re-test"), "triggeredAt": TIME, "startedAt": nul(TIME), "completedAt": nul(TIME),
  "newFollowersCount": INT, "candidatesPassedCount": INT, "highFitCount": INT, "mediumFitCount": INT,
  "enrichedCount": INT, "leadsCreated": INT, "apiCalls": INT, "followersWalked": INT, "attempt": INT,
  "errorMessage": nul(STR), "progressLog": arr(obj({"step": STR, "message": STR, "timestamp": TIME})),
  "classifierUsage": obj({"requests": INT, "promptTokens": INT, "completionTokens": INT, "cachedProfiles": INT,
                          "fallbackProfiles": INT})},
  ext=["highFitCount", "leadsCreated", "apiCalls", "startedAt", "attempt", "followersWalked", "classifierUsage"])
schemas["Lead"] = obj({
  "id": ID, "streamId": ID, "trackedXAccountId": ID, "segmentId": ID, "matchConfidence": enum("high", "medium"),
  "sourceType": enum("new_follower", "lookup"), "discoveredAt": TIME, "exportedAt": nul(TIME),
  "lifecycle": enum("new", "exported"), "score": {"type": "number", "minimum": 0, "maximum": 1},
  "reasons": arr(STR),
  "feedback": obj({"status": enum("good", "bad"), "badReason": nul(STR), "badReasonFreeform": nul(STR),
                   "segmentId": ID, "at": TIME}, nullable=True),
  "enrichment": obj({"linkedinUrl": nul(STR), "linkedinConfidence": nul(NUM), "email": nul(STR),
                     "emailStatus": nul(enum("verified", "unverified")), "emailProvider": nul(STR), "phone": nul(STR),
                     "enrichedAt": TIME},
                    nullable=True, ext=["linkedinConfidence", "emailProvider", "phone"]),
  "profile": obj({"xUserId": STR, "handle": STR, "displayName": STR, "profileImageUrl": STR, "followerCount": INT,
                  "bio": STR, "location": STR, "url": STR, "followingCount": INT, "verified": BOOL},
                 ext=["location", "url", "followingCount", "verified"])},
  ext=["lifecycle", "score", "reasons", "feedback", "enrichment"])
schemas["LeadPage"] = obj({"leads": arr(ref("Lead")), "total": INT, "hasMore": BOOL, "nextCursor": nul(STR)},
  ext=["nextCursor"])
schemas["LeadSummary"] = obj({"highFitCount": INT, "mediumFitCount": INT, "newCount": INT, "exportedCount": INT},
  ext=["newCount", "exportedCount"])
schemas["LeadGroups"] = obj({"streams": arr(obj({"streamId": ID, "streamName": STR, "leads": arr(ref("Lead")),
  "total": INT, "hasMore": BOOL}, ext=["hasMore"]))})
schemas["Webhook"] = dict(obj({
  "id": ID, "targetUrl": STR,
  "filterConfig": obj({"streamId": nul(INT), "accountId": nul(INT), "sourceType": nul(enum("follower", "liker")),
                       "feedbackStatus": nul(enum("good", "bad")), "matchConfidence": nul(enum("high", "medium"))}),
  "status": enum("active", "disabled"), "disabledReason": nul(STR), "createdAt": TIME,
  "deliveries": obj({"delivered": INT, "pending": INT, "failed": INT}), "ownerStreamId": nul(INT)}), **{"x-ext": True})
schemas["Delivery"] = dict(obj({
  "id": ID, "webhookId": STR, "type": enum("leads.created", "lead.feedback", "webhook.test"),
  "status": enum("pending", "delivered", "failed"), "attempts": INT, "lastStatusCode": nul(INT),
  "lastError": nul(STR), "lastLatencyMs": nul(INT), "lastResponse": nul(STR), "createdAt": TIME,
  "nextAttemptAt": nul(TIME), "deliveredAt": nul(TIME)}), **{"x-ext": True})
schemas["DmTemplate"] = obj({"id": ID, "name": STR, "messageBody": STR, "createdAt": TIME, "updatedAt": TIME})
schemas["DmTemplateInput"] = {"type": "object", "required": ["name", "messageBody"], "properties": {
  "name": {"type": "string", "minLength": 1, "maxLength": 100},
  "messageBody": {"type": "string", "minLength": 1, "maxLength": 2000}}}
schemas["NotificationSettings"] = obj({
  "summaryFrequency": enum("off", "after_every_sync", "daily", "weekly"),
  "channels": obj({"email": arr(STR), "slackWebhookUrl": nul(STR), "telegramChatId": nul(STR)})})
schemas["Me"] = obj({
  "name": STR, "email": STR, "subscriptionStatus": STR, "isFreeTier": BOOL,
  "accounts": arr(obj({"accountId": ID, "xHandle": STR, "tier": TIER,
    "monthlyRetest": obj({"used": INT, "budget": INT, "remaining": INT, "billingPeriodStart": TIME}),
    "dailySync": obj({"used": INT, "cap": INT, "remaining": INT})})),
  "credits": obj({"balance": INT, "lowBalanceThreshold": INT, "isLow": BOOL, "autoTopupEnabled": BOOL,
                  "recent": arr(obj({"id": ID, "kind": enum("grant", "hold", "release", "settle"), "delta": INT,
                                     "reason": STR, "holdId": nul(INT), "at": TIME})),
                  "monthlyEnrichment": obj({"budget": INT, "used": INT, "remaining": INT,
                                            "billingPeriodStart": TIME})},
                 ext=["recent", "monthlyEnrichment"]),
  "totals": obj({"monthlyRetestRemaining": INT, "dailySyncRemaining": INT}),
  "team": obj({"id": ID, "name": STR}), "apiKey": obj({"id": ID, "prefix": STR, "name": nul(STR)})},
  ext=["team", "apiKey"])
schemas["Me"]["properties"]["subscriptionStatus"] = dict(enum("active", "trialing", "free_user", "past_due"),
  description="Stripe's statuses in the original's four words; active also for teams billed by the embedded ledger.")
schemas["Ok"] = obj({"ok": {"const": True}})

# Operations. Every keyed one may also answer 401, 429 and 503.
E = lambda desc="": {"description": desc or "Error", "content": {"application/json": {"schema": ref("Error")}}}
def ok(schema, desc="OK"): return {"description": desc, "content": {"application/json": {"schema": schema}}}
def errors(*statuses):
    names = {400: "Invalid request", 401: "Missing, malformed or revoked API key", 403: "Refused",
             404: "Not found (also for another team's ids)", 409: "Conflict", 413: "Body too large",
             415: "Body not JSON", 422: "Unprocessable", 429: "Rate limited", 502: "A provider refused",
             503: "Temporarily unavailable"}
    common = {401, 429, 503}
    return {str(s): E(names[s]) for s in sorted(set(statuses) | common)}
def op(summary, responses, body=None, params=(), ext=False, security=True, tags=()):
    o = {"summary": summary, "responses": responses}
    if tags: o["tags"] = list(tags)
    if params: o["parameters"] = list(params)
    if body is not None:
        o["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if ext: o["x-ext"] = True
    if not security: o["security"] = []
    o["responses"].setdefault("default", E("Any other error, in the same shape"))
    return o
def path_id(name="id"): return {"name": name, "in": "path", "required": True, "schema": ID}
def q(name, schema, desc=None, ext=False):
    p = {"name": name, "in": "query", "required": False, "schema": schema}
    if desc: p["description"] = desc
    if ext: p["x-ext"] = True
    return p
lead_filters = [q("lifecycle", enum("new", "exported")), q("matchConfidence", enum("high", "medium")),
  q("accountId", ID), q("segmentId", ID), q("since", TIME, "Leads discovered strictly after this time."),
  q("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}),
  q("offset", {"type": "integer", "minimum": 0, "default": 0}),
  q("summary", {"type": "boolean"}, "Counts only."),
  q("cursor", STR, "(ext) A nextCursor from a previous page.", ext=True),
  q("format", enum("json", "csv"), "(ext) csv: RFC 4180 with X-Total-Count and X-Next-Cursor headers.", ext=True)]
lead_list = {"description": "A page of leads, newest first; with summary=true, counts only; CSV when asked.",
  "content": {"application/json": {"schema": {"oneOf": [ref("LeadPage"), ref("LeadSummary")]}},
              "text/csv": {"schema": STR}}}
paths = {}
def add(path, method, operation): paths.setdefault(path, {})[method] = operation

DOCUMENT = {"type": "object", "required": ["openapi", "paths"],
            "properties": {"openapi": {"const": "3.1.0"}, "paths": {"type": "object"}}}
add("/api/v2/openapi.json", "get", op("This document", {"200": ok(DOCUMENT),
  "405": E("Only GET")}, ext=True, security=False, tags=["operations"]))
add("/healthz", "get", op("The process is alive", {"200": ok(obj({"status": enum("ok")}))},
  ext=True, security=False, tags=["operations"]))
add("/readyz", "get", op("The database is reachable and the schema current",
  {"200": ok(obj({"status": enum("ready")})), "503": E("Not ready: the daemon's log says why")},
  ext=True, security=False, tags=["operations"]))
add("/api/v2/me", "get", op("The caller's team, key, budgets and credits",
  {"200": ok(ref("Me"))} | errors(), tags=["identity"]))
add("/api/v2/lookups/api-keys/{id}", "delete", op("Revoke the calling key (any other id is 404)",
  {"200": ok(ref("Ok"))} | errors(404), params=[path_id()], tags=["identity"]))
add("/api/v2/segments", "post", op("Create a reusable segment",
  {"201": ok(obj({"id": ID, "userFacingId": STR}), "Created")} | errors(400, 403, 409, 413, 415),
  body=ref("SegmentInput"), tags=["campaigns"]))
add("/api/v2/segments", "get", op("The team's segments",
  {"200": ok(obj({"segments": arr(ref("Segment"))}))} | errors(400),
  params=[q("excludeArchived", {"type": "boolean"})], tags=["campaigns"]))
add("/api/v2/lookups/segments/from-description", "post", op("Create a segment from a description",
  {"201": ok(obj({"segment": ref("Segment")}), "Created")} | errors(400, 403, 409, 413, 415),
  body={"type": "object", "required": ["description"], "properties": {"description": STR, "name": STR}},
  tags=["campaigns"]))
add("/api/v2/lookups/segment-labels", "get", op("Every filter group, label, follower-count tier and gender value",
  {"200": ok(ref("SegmentLabels"))} | errors(), ext=True, tags=["campaigns"]))
add("/api/v2/accounts", "get", op("Tracked accounts, active and sleeping",
  {"200": ok(obj({"active": arr(ref("Account")), "sleeping": arr(ref("Account"))}))} | errors(), tags=["campaigns"]))
add("/api/v2/accounts/{id}/sleep", "post", op("Stop tracking (and billing) an account",
  {"200": ok(obj({"success": {"const": True}, "accountId": ID, "asleep": {"const": True},
                  "billingDelta": BILLING_DELTA, "billing": nul(ref("Billing"))},
                 ext=["billingDelta", "billing"]))} | errors(404, 409, 502), params=[path_id()], tags=["campaigns"]))
add("/api/v2/accounts/{id}/wake", "post", op("Track (and bill) a sleeping account again",
  {"200": ok(obj({"success": {"const": True}, "accountId": ID, "awake": {"const": True},
                  "billingDelta": BILLING_DELTA, "billing": nul(ref("Billing"))},
                 ext=["billingDelta", "billing"]))} | errors(403, 404, 409, 502), params=[path_id()], tags=["campaigns"]))
add("/api/v2/accounts/{id}/change-tier", "post", op("Upgrade now, or downgrade at the period's end",
  {"200": ok(obj({"account": ref("Account"),
                  "action": enum("upgraded", "downgrade_scheduled", "pending_cancelled", "unchanged"),
                  "effectiveAt": TIME, "billingDeltas": arr(ref("Billing"))},
                 required=["account", "action"], ext=["billingDeltas"]))} | errors(400, 403, 404, 409, 502),
  body={"type": "object", "required": ["newTier"], "properties": {"newTier": TIER}}, params=[path_id()],
  tags=["campaigns"]))
add("/api/v2/streams", "post", op("Create a stream in one call: handles, segments and settings",
  {"201": ok(obj({"id": ID, "accounts": arr(ref("AccountOutcome")),
                  "segments": arr(obj({"segmentId": ID, "segmentCreated": BOOL}))}), "Created")}
  | errors(400, 403, 404, 409, 413, 415, 422, 502), body=ref("StreamInput"), tags=["campaigns"]))
add("/api/v2/streams", "get", op("The team's streams", {"200": ok(obj({"streams": arr(ref("Stream"))}))} | errors(400),
  params=[q("includeArchived", {"type": "boolean", "default": False})], tags=["campaigns"]))
add("/api/v2/streams/{id}", "get", op("One stream", {"200": ok(obj({"stream": ref("Stream")}))} | errors(404),
  params=[path_id()], tags=["campaigns"]))
add("/api/v2/streams/{id}", "patch", op("Change any setting; pairs replace the whole set",
  {"200": ok(obj({"id": ID, "pairsDiff": obj({"addedAccounts": arr(ref("AccountOutcome")),
    "addedSegments": arr(obj({"segmentId": ID, "segmentCreated": BOOL})), "removedPairs": arr(INT)},
    ext=["removedPairs"])},
    required=["id"]))} | errors(400, 403, 404, 409, 413, 415, 422, 502),
  body=ref("StreamPatch"), params=[path_id()], tags=["campaigns"]))
add("/api/v2/streams/{id}", "delete", op("Archive a stream",
  {"200": ok(obj({"archived": {"const": True}}))} | errors(404, 409),
  params=[path_id()], tags=["campaigns"]))
skip = lambda reasons, extra: obj(dict(extra, reason=enum(*reasons)))
add("/api/v2/streams/{id}/run", "post", op("Queue a sync of each account of the stream",
  {"202": ok(obj({"queued": arr(obj({"accountId": ID, "trackedAccountId": ID, "syncRunId": ID})),
    "skipped": arr(skip(["budget_exhausted", "account_sleeping", "run_in_progress"],
                        {"accountId": ID, "trackedAccountId": ID}))}),
    "Accepted")}
  | errors(400, 404, 409), params=[path_id()], tags=["sync"]))
add("/api/v2/streams/{id}/re-test", "post", op("Re-classify cached followers against the current segments",
  {"202": ok(obj({"queued": arr(obj({"accountId": ID, "syncRunId": ID, "pairId": ID, "trackedAccountId": ID,
                                     "segmentId": ID, "runId": ID})),
    "skipped": arr(skip(["free_tier", "budget_exhausted", "account_sleeping"],
                        {"accountId": ID, "pairId": ID, "trackedAccountId": ID}))}),
    "Accepted")} | errors(400, 404, 409, 413, 415),
  params=[path_id()], tags=["sync"]))
paths["/api/v2/streams/{id}/re-test"]["post"]["requestBody"] = {"required": False, "content": {"application/json": {
  "schema": {"type": "object", "properties": {"accountId": ID, "segmentId": ID}}}}}
add("/api/v2/streams/{id}/runs", "get", op("The stream's runs, newest first",
  {"200": ok(obj({"runs": arr(ref("Run"))}))} | errors(400, 404),
  params=[path_id(), q("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 30})], tags=["sync"]))
add("/api/v2/streams/{id}/runs/{runId}", "get", op("One run", {"200": ok(obj({"run": ref("Run")}))} | errors(404),
  params=[path_id(), path_id("runId")], tags=["sync"]))
add("/api/v2/runs", "get", op("The team's runs, newest first",
  {"200": ok(obj({"runs": arr(ref("Run")), "total": INT, "hasMore": BOOL}))} | errors(400),
  params=[q("streamId", ID), q("status", enum("queued", "running", "succeeded", "failed")),
          q("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
          q("offset", {"type": "integer", "minimum": 0})],
  tags=["sync"]))
add("/api/v2/streams/{id}/leads", "get", op("The stream's leads", {"200": lead_list} | errors(400, 404),
  params=[path_id()] + lead_filters, tags=["leads"]))
add("/api/v2/leads", "get", op("The team's leads across streams",
  {"200": {"description": lead_list["description"] + " With groupBy=stream, one list per stream.",
           "content": {"application/json": {"schema": {"oneOf": [ref("LeadPage"), ref("LeadSummary"),
                                                                   ref("LeadGroups")]}},
                       "text/csv": {"schema": STR}}}} | errors(400, 404),
  params=[q("streamId", ID), q("groupBy", enum("stream"))] + lead_filters, tags=["leads"]))
add("/api/v2/leads/{id}/feedback", "post", op("Say whether a lead was good, per segment",
  {"200": ok(obj({"ok": {"const": True}, "lead": ref("Lead")}, required=["ok"], ext=["lead"]))}
  | errors(400, 404, 409, 413, 415),
  body={"type": "object", "required": ["segmentId", "feedback"], "properties": {
    "segmentId": ID, "feedback": enum("good", "bad"),
    "badReason": enum("bot", "wrong_gender", "wrong_job", "wrong_skill", "wrong_personality", "zapier", "other"),
    "badReasonFreeform": {"type": "string", "maxLength": 500}}}, params=[path_id()], tags=["leads"]))
add("/api/v2/leads/{id}/export", "post", op("Mark a lead exported (idempotent: the first exportedAt stays)",
  {"200": ok(obj({"lead": ref("Lead")}))} | errors(404, 409), params=[path_id()], tags=["leads"]))
schemas["EnrichResult"] = obj({
  "leadId": nul(ID), "x_profile_id": STR,
  "result": obj({"ok": BOOL, "kind": enum("resolved", "partial", "not_found"),
                 "linkedin": obj({"url": STR, "confidence": NUM}, nullable=True),
                 "email": obj({"address": STR, "status": enum("verified", "unverified"), "provider": STR},
                              nullable=True)}),
  "credits_remaining": INT, "credits_charged": INT,
  "contact_routes": arr(obj({"routeType": enum("linkedin", "email", "phone"), "value": STR,
                             "confidence": nul(NUM)}))},
  ext=["credits_charged"])
ENRICH_BODY = {"type": "object", "properties": {
  "requested_outputs": {"type": "array", "minItems": 1, "items": enum("linkedin_url", "email")},
  "email_mode": enum("verified", "any")}}
add("/api/v2/leads/{id}/enrich", "post", op(
  "Find the lead's LinkedIn URL and email: its profile first (free), then the provider for what is missing, "
  "held and settled in credits for what it finds",
  {"200": ok(ref("EnrichResult"))} | errors(400, 403, 404, 409, 413, 415, 502),
  body=dict(ENRICH_BODY, required=["requested_outputs"]), params=[path_id()], tags=["leads"]))
LOOKUP_BODY = {"type": "object", "required": ["handle"], "properties": dict(ENRICH_BODY["properties"], handle=STR)}
add("/api/v2/lookups/enrich", "post", op(
  "Find the LinkedIn URL and email of any X handle: resolved through the follower source, then enriched as a lead",
  {"200": ok(ref("EnrichResult"))} | errors(400, 403, 404, 409, 413, 415, 422, 502),
  body=LOOKUP_BODY, tags=["lookups"]))
add("/api/v2/lookups/enrich-email", "post", op("The same, email only",
  {"200": ok(ref("EnrichResult"))} | errors(400, 403, 404, 409, 413, 415, 422, 502),
  body={"type": "object", "required": ["handle"], "properties": {"handle": STR, "email_mode": enum("verified", "any")}},
  tags=["lookups"]))
LOOKUP_PAGE = obj({"items": arr(obj({"id": ID, "handle": STR, "result": schemas["EnrichResult"]["properties"]["result"],
                                     "creditsCharged": INT, "createdAt": TIME})),
                   "total": INT, "hasMore": BOOL})
for kind in ("enrich", "enrich-email"):
  add(f"/api/v2/lookups/{kind}/history", "get", op(f"The team's {kind} lookups, newest first",
    {"200": ok(LOOKUP_PAGE)} | errors(400),
    params=[q("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}),
            q("offset", {"type": "integer", "minimum": 0, "default": 0})], tags=["lookups"]))
add("/api/v2/webhooks/subscribe", "post", op("Subscribe a URL (the same URL again replaces its filter)",
  {"201": ok(obj({"id": ID, "secret": dict(STR, **{"x-ext": True})}), "Subscribed; the secret is shown once"),
   "200": ok(obj({"id": ID}), "The URL's filter was replaced")} | errors(400, 403, 409, 413, 415),
  body={"type": "object", "required": ["targetUrl"], "properties": {"targetUrl": STR, "filterConfig": {"type": "object",
    "properties": {"streamId": nul(ID), "accountId": nul(ID), "sourceType": nul(enum("follower", "liker")),
                   "feedbackStatus": nul(enum("good", "bad")), "matchConfidence": nul(enum("high", "medium"))}}}},
  tags=["webhooks"]))
add("/api/v2/webhooks/subscribe", "delete", op("Unsubscribe", {"200": ok(ref("Ok"))} | errors(400, 404, 409, 413, 415),
  body={"type": "object", "required": ["id"], "properties": {"id": ID}}, tags=["webhooks"]))
add("/api/v2/webhooks", "get", op("The team's subscriptions with delivery counts",
  {"200": ok(obj({"webhooks": arr(ref("Webhook"))}))} | errors(), ext=True, tags=["webhooks"]))
add("/api/v2/webhooks/{id}/deliveries", "get", op("A subscription's recent deliveries",
  {"200": ok(obj({"webhook": ref("Webhook"), "deliveries": arr(ref("Delivery"))}))} | errors(400, 404),
  params=[path_id(), q("limit", {"type": "integer", "minimum": 1, "maximum": 100})], ext=True, tags=["webhooks"]))
add("/api/v2/webhooks/{id}/test", "post", op("Queue a webhook.test delivery",
  {"202": ok(obj({"deliveryId": ID}), "Accepted")} | errors(404, 409), params=[path_id()], ext=True, tags=["webhooks"]))
add("/api/v2/dm-templates", "get", op("The team's DM templates",
  {"200": ok(obj({"templates": arr(ref("DmTemplate"))}))} | errors(), tags=["preferences"]))
add("/api/v2/dm-templates", "post", op("Create a DM template",
  {"201": ok(obj({"template": ref("DmTemplate")}), "Created")} | errors(400, 403, 409, 413, 415),
  body=ref("DmTemplateInput"), tags=["preferences"]))
add("/api/v2/dm-templates/{id}", "get", op("One DM template",
  {"200": ok(obj({"template": ref("DmTemplate")}))} | errors(404),
  params=[path_id()], tags=["preferences"]))
add("/api/v2/dm-templates/{id}", "put", op("Replace a DM template",
  {"200": ok(obj({"template": ref("DmTemplate")}))} | errors(400, 404, 409, 413, 415),
  body=ref("DmTemplateInput"), params=[path_id()], tags=["preferences"]))
add("/api/v2/dm-templates/{id}", "delete", op("Delete a DM template", {"200": ok(ref("Ok"))} | errors(404, 409),
  params=[path_id()], tags=["preferences"]))
add("/api/v2/notification-settings", "get", op("The team's notification settings",
  {"200": ok(obj({"settings": ref("NotificationSettings")}))} | errors(), tags=["preferences"]))
add("/api/v2/notification-settings", "put", op("Replace the team's notification settings",
  {"200": ok(obj({"settings": ref("NotificationSettings")}))} | errors(400, 409, 413, 415),
  body={"type": "object", "required": ["summaryFrequency"], "properties": {
    "summaryFrequency": enum("off", "after_every_sync", "daily", "weekly"),
    "channels": {"type": "object", "properties": {"email": arr(STR), "slackWebhookUrl": nul(STR),
                                                  "telegramChatId": nul(STR)}}}},
  tags=["preferences"]))

doc = {
  "openapi": "3.1.0",
  "info": {"title": "leadstream API", "version": "2",
    "description": "The stream-centred v2 API of the Catch The Good Ones original, served by leadstreamd. "
      "Operations, properties and parameters marked x-ext are leadstream's additions; a client of the original may "
      "ignore them. Every non-2xx answer is an Error. Authenticated answers carry X-RateLimit-Limit and "
      "X-RateLimit-Remaining; 429s carry Retry-After. POST and PATCH take an Idempotency-Key header.",
    "license": {"name": "Proprietary", "identifier": "LicenseRef-leadstream"}},
  "servers": [{"url": "http://127.0.0.1:8080", "description": "A local leadstreamd"}],
  "security": [{"bearer": []}],
  "tags": [{"name": t, "description": d} for t, d in [
    ("identity", "The caller and its key"), ("campaigns", "Segments, tracked accounts and streams"),
    ("sync", "Runs: syncs and re-tests"), ("leads", "Leads out: polling, CSV, feedback, export"),
    ("lookups", "Contacts of any X handle"), ("webhooks", "Signed, at-least-once deliveries"), ("preferences", "DM templates and notifications"),
    ("operations", "Health and this document")]],
  "paths": paths,
  "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
    "description": "An API key, ls_live_ + 32 base62 characters."}}},
}
# Every operation is named from its method and path: getStreamsIdLeads.
for path, methods in paths.items():
    for method, operation in methods.items():
        words = path.replace("/api/v2/", "").replace("{", "").replace("}", "").replace(".", "-")
        words = [w for w in words.replace("-", "/").split("/") if w]
        operation["operationId"] = method + "".join(w[:1].upper() + w[1:] for w in words)
print(json.dumps(doc, indent=2, ensure_ascii=False))
