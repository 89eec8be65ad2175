#!/usr/bin/env python3
"""Writes bios.jsonl: hand-labelled X bios for the classifier's quality test.

Each line: {"name", "bio", "location", "segments": [...]} where segments lists the
segments (keys below) the person truly belongs to. Near misses are deliberate.
Edit the lists here and rerun; the .jsonl is what the tests read."""
import json

AI = "ai_devtools_founders"        # AI founders building developer tools
MKT = "b2b_saas_marketing_leaders"  # Marketing leaders at B2B SaaS companies
FIN = "early_fintech_investors"     # Early-stage investors in fintech

rows = []
def add(segments, bio, name="", location=""):
    rows.append({"name": name, "bio": bio, "location": location, "segments": segments})

# --- AI founders building developer tools: positives
for bio in [
    "CEO @ Tracecat. LLM evals for engineers.",
    "Co-founder & CTO at Promptly \u2014 observability for AI agents. ex-Datadog.",
    "Founder. Autocomplete for your terminal, built on GPT-4. Devs: try it.",
    "Building an open-source SDK for RAG pipelines. Founder @ Vectorly. YC S23",
    "cofounder @ evalkit (YC W24) \u2014 test suites for LLM apps, made for developers",
    "Founder of DevGPT: an AI pair programmer for backend devs",
    "CEO at Stackwise. We make ML infra boring for developers.",
    "Solo founder shipping an AI code review bot for GitHub. Indie hacker.",
    "Co-founder @ Fixie. AI agents that write and test your API integrations.",
    "founder/ceo @ latticeflow \u2014 MLOps platform for engineering teams",
    "CTO & cofounder, Relay AI. Developer tools for LLM fine tuning.",
    "Building devtools for AI engineers. Founder @ PromptLayer. Previously Stripe.",
    "Founder of a YC-backed startup: AI test generation for Python developers",
    "Co-founder at Kiln \u2014 open source LLM gateway for devs. Rust + TypeScript.",
    "CEO of Modelbench. Evals for foundation models, built for ML engineers.",
    "Founder. Making AI agents debuggable. SDK in Python & TS.",
    "co-founder @ sqlcoder | natural language to SQL for data engineers | LLMs",
    "Founder & CEO, Docsbot \u2014 AI that writes your API docs. Developer experience nerd.",
    "Bootstrapping an AI CLI that explains shell commands. 4k devs use it.",
    "Entrepreneur. Inference APIs for developers. ex-Google Brain.",
    "Cofounder/CTO at Lintly. GPT-powered linting for engineering teams.",
    "CEO @ Ragstack \u2014 RAG infrastructure for developers. Hiring!",
    "Founder at VectorForge: embeddings API for developers. Prev ML @ Meta",
    "AI code search for huge codebases. Founder. SF.",
    "Co-founder of an AI-native IDE. We're hiring compiler engineers.",
    "CEO @ Agentops \u2014 monitoring for AI agents. Developers first.",
    "Founder @ Patchwork: LLM bots that fix your CI. YC W23.",
    "founder, tinyml sdk for embedded developers. machine learning on microcontrollers",
    "Co-founder, Talon. Voice coding with machine learning. OSS forever.",
    "Building Copilot for infra. Founder @ Infragen. DevOps + LLMs.",
    "CEO & co-founder. Open-source LLM red teaming for engineers.",
    "Founder @ Mergeable. AI reviews your pull requests before humans do. Dev tools.",
    "CTO/cofounder @ Spellbook Labs \u2014 APIs for LLM apps",
    "co-founder & ceo: AI static analysis for developers. previously security at Uber",
    "Founder of a prompt management platform for engineering teams. GenAI in prod.",
    "Solopreneur. GPT wrapper that writes unit tests. $20k MRR. Devs love it.",
    "Founder. Deploy ML models with one API call. For developers, by developers.",
    "We build AI agents that write Terraform. Co-founder & CEO @ Infragen.",
    "CEO at Codeflash \u2014 LLMs that make your Python faster. Developer tools.",
    "Cofounder @ Trieve. Search + RAG API for devs. Open source.",
]:
    add([AI], bio)

# --- AI founders building developer tools: near misses and others
for bio in [
    "Partner at Amplify. Investing in AI infrastructure and developer tools.",
    "Angel investor in devtools and AI. Ex-GitHub.",
    "Developer advocate @ OpenAI. I talk about LLMs to developers all day.",
    "DevRel at Vercel. AI SDK enthusiast. Talks, demos, docs.",
    "ML engineer at Google. Working on LLM inference.",
    "Senior software engineer. Building AI tools at work, opinions mine.",
    "Founder & CEO of a coffee subscription brand. Espresso snob.",
    "Co-founder @ Glowskin. DTC skincare for sensitive skin.",
    "Founder of a real estate agency in Miami. Luxury condos.",
    "Founder of an AI startup for lawyers. Contracts in seconds.",
    "Co-founder @ Dental AI. Machine learning for dental clinics.",
    "Founder @ Railway-style hosting for developers. No AI, just fast deploys.",
    "CEO of a developer tools company. Git for designers.",
    "AI researcher. Alignment, interpretability. PhD @ Stanford.",
    "Staff engineer at Stripe. APIs, payments, Ruby.",
    "Tech journalist covering AI and developer tools for The Verge.",
    "VC at Sequoia. Writing about AI infrastructure.",
    "Recruiter for AI startups. Hiring ML engineers in SF!",
    "Founder of a yoga studio. AI-free zone.",
    "CEO @ Lumen Health. Clinical AI for hospitals.",
    "Product manager, GitHub Copilot. Views my own.",
    "Founder of a marketing agency. We use ChatGPT for everything.",
    "Full-stack developer. Learning machine learning on weekends.",
    "Co-founder of an edtech startup teaching kids to code.",
    "Head of AI at a bank. Risk models and LLM governance.",
    "Open source maintainer. Rust, compilers, coffee.",
    "Founder. Building an AI companion app for seniors.",
    "Data scientist @ Airbnb. Causal inference, dashboards.",
    "Serial entrepreneur. 3 exits in e-commerce. Now investing.",
    "CTO at a logistics company. Fleet software, not AI.",
    "AI artist. Midjourney prompts and prints for sale.",
    "Developer relations lead at Twilio. APIs and communities.",
]:
    add([], bio)

# --- Marketing leaders at B2B SaaS companies: positives
for bio in [
    "VP Marketing @ Gong. B2B SaaS demand gen nerd.",
    "CMO at Drift. Building brands in enterprise software.",
    "Head of Growth @ Coda. B2B SaaS, PLG, GTM.",
    "Director of Product Marketing at Atlassian. SaaS positioning.",
    "CMO | B2B SaaS | ex-HubSpot | Demand generation & brand",
    "Head of Marketing at an automation startup (B2B SaaS).",
    "VP of Demand Gen @ Outreach. Pipeline > vanity metrics. SaaS.",
    "Marketing leader for B2B software. Previously CMO at two SaaS startups.",
    "Head of Content Marketing @ Intercom. Enterprise SaaS storytelling.",
    "Chief Marketing Officer at a customer data platform for B2B teams.",
    "VP Growth Marketing, Airtable. SaaS growth loops.",
    "Director of Marketing @ Loom. B2B, PLG.",
    "Head of Brand @ Pitch. B2B SaaS.",
    "SVP Marketing at Salesforce. Enterprise GTM.",
    "Fractional CMO for B2B SaaS startups. Ex-VP Marketing @ Mixpanel.",
    "Head of Marketing at a Series B SaaS company. Demand gen.",
    "GTM leader. B2B SaaS marketing from seed to IPO.",
    "Marketing director, B2B software. ABM, ops and analytics.",
    "VP Product Marketing @ Snowflake. Data cloud. Enterprise.",
    "Head of Lifecycle Marketing @ Asana (B2B SaaS).",
    "CMO @ Clari. Revenue platform. Enterprise SaaS marketing.",
    "Head of Demand Generation | SaaS | Pipeline builder",
    "VP Marketing, Vanta. Compliance automation SaaS for B2B.",
    "Director, Growth Marketing @ Rippling. SaaS. Ex-Dropbox.",
    "Marketing lead at a B2B SaaS startup. SEO, content, paid.",
    "Head of Marketing, project management software for B2B teams. SaaS.",
    "VP of Marketing @ Gusto. Payroll SaaS for SMBs.",
    "CMO. Scaling B2B SaaS brands. Board advisor.",
    "Director of Demand Gen at Miro. Enterprise SaaS.",
    "Head of PMM @ Retool. B2B SaaS for developers.",
    "Leading marketing at Attio, the CRM for B2B teams.",
    "VP Brand & Communications @ Datadog. Enterprise SaaS.",
    "Head of Growth @ Calendly. B2B, PLG, SEO.",
    "CMO at Pendo. Product-led SaaS.",
    "VP Marketing | enterprise software | ex-Marketo, ex-Adobe",
]:
    add([MKT], bio)

# --- Marketing leaders at B2B SaaS: near misses and others
for bio in [
    "Content marketer at HubSpot. Writing about SaaS.",
    "SEO specialist for B2B SaaS companies. Freelance.",
    "Marketing manager @ Freshworks. SaaS.",
    "CMO @ Glossier. Beauty brand building.",
    "VP Marketing at Nike. Sport and culture.",
    "Head of Marketing at a DTC coffee brand.",
    "VP Sales @ Gong. B2B SaaS. Closing is a lifestyle.",
    "Head of Engineering at a B2B SaaS startup.",
    "CEO @ SaaS startup. Ex-marketer.",
    "Marketing student. I love SaaS case studies.",
    "Growth hacker and indie SaaS founder.",
    "Founder of a marketing agency for B2B SaaS.",
    "Head of Customer Success @ Zendesk. Enterprise SaaS.",
    "Director of Sales, enterprise software. Quota crusher.",
    "Social media manager for restaurants.",
    "VP Engineering at Intercom. Distributed systems.",
    "Marketing professor. Consumer behavior research.",
    "Head of People at a SaaS scale-up. Hiring!",
    "CFO at a B2B SaaS company. Metrics and models.",
    "Brand designer. Logos and identities for startups.",
    "Chief of Staff to the CEO @ Notion.",
    "Demand gen specialist. HubSpot certified.",
    "Head of Partnerships at a fintech. Payments.",
    "VP Marketing at a hotel chain. Hospitality.",
    "Director of Product, enterprise SaaS. Roadmaps.",
]:
    add([], bio)

# --- Early-stage investors in fintech: positives
for bio in [
    "Pre-seed & seed investor in fintech. Partner @ Fintech Collective.",
    "Angel investor. Payments, banking infra, and embedded finance.",
    "GP @ Seedcamp. Writing first checks into European fintech.",
    "Seed-stage VC investing in financial infrastructure. Ex-Stripe.",
    "Partner at Better Tomorrow Ventures. We lead pre-seed and seed rounds in fintech.",
    "Early-stage investor @ QED. Fintech, lending, insurtech.",
    "Angel in 40+ fintech startups (Ramp, Mercury). Operator.",
    "Principal at Nyca. Seed and Series A fintech.",
    "VC @ Anthemis. Early stage, financial services.",
    "Investing in payments and open banking at the seed stage. Partner, Portage.",
    "Pre-seed fund for fintech founders in LatAm. GP.",
    "Angel investor & advisor in neobanks and lending. Ex-Revolut.",
    "Seed investor at Fin Capital. Fintech, regtech, wealthtech.",
    "Partner @ Village Global. Early-stage. Fintech + crypto.",
    "Venture partner writing pre-seed checks in embedded finance.",
    "Scout for a16z. Angel in early fintech. Payments nerd.",
    "Early stage VC. Fintech and insurtech in Africa.",
    "Investor @ Fintech Ventures Fund I. Seed rounds. NYC",
    "Seed VC focused on B2B payments and treasury software.",
    "Founding partner @ a seed fund for banking the unbanked.",
    "Angel investor in fintech & proptech. First checks only.",
    "LP and angel. Early-stage fintech in Europe.",
    "Associate @ Index Ventures, seed & Series A fintech.",
    "Micro VC. Pre-seed fintech. Cheques from $100k.",
    "Seed investor, credit and lending infrastructure. Former banker.",
    "Partner, Flourish Ventures. Early-stage fintech for financial health.",
    "Angel investing in card issuing and payments APIs.",
    "VC at Speedinvest Fintech. Seed to Series A.",
    "Investor in early-stage fintech across India. Partner @ Better Capital.",
    "Pre-seed fintech investor. Backing founders in banking and insurance.",
    "Seed-stage fintech VC @ Clocktower.",
    "Angel. Early fintech. Ex-Plaid PM.",
    "Partner at an early-stage fund investing in financial services infrastructure.",
]:
    add([FIN], bio)

# --- Early-stage fintech investors: near misses and others
for bio in [
    "Growth equity investor in fintech @ General Atlantic.",
    "Partner at a Series B-D fund. Fintech and SaaS.",
    "Private equity. Financial services buyouts.",
    "Founder & CEO @ a corporate card for startups. Fintech.",
    "Co-founder of a neobank for freelancers.",
    "Pre-seed investor in climate tech and deep tech.",
    "Seed VC investing in AI infrastructure and devtools.",
    "Angel investor in consumer brands and DTC.",
    "Portfolio manager at a hedge fund. Fintech stocks.",
    "Investment banker @ Goldman. Fintech M&A.",
    "Personal finance YouTuber. Investing tips for beginners.",
    "Crypto trader. DeFi degen. NFA.",
    "Fintech product manager at Stripe.",
    "Financial advisor helping families invest early for retirement.",
    "Late-stage investor. Pre-IPO fintech secondaries.",
    "Banking analyst covering European banks. Equity research.",
    "Compliance officer at a payments company. KYC/AML.",
    "Fintech journalist at TechCrunch.",
    "Accountant for small businesses. Taxes, payroll.",
    "Head of Payments at Shopify. Checkout conversion.",
    "Real estate investor. Rentals in Ohio.",
    "Economics professor. Monetary policy and central banks.",
    "Public markets investor. Long-only. Banks and insurers.",
    "Seed investor in healthcare and biotech.",
]:
    add([], bio)

# --- People no segment wants
for bio in [
    "Dad, runner, coffee.", "Photographer in Lisbon.", "Nurse. Mom of 3. Tired.",
    "Bitcoin maximalist.", "High school history teacher.", "Software engineer at Shopify.",
    "Product designer @ Figma.", "Writer. A newsletter about books.", "PhD student in physics.",
    "Music producer. Beats for sale.", "Chef and restaurant owner in Austin.",
    "Football fan. Arsenal till I die.", "Travel blogger. 60 countries.",
    "Fitness coach. DM for programs.", "Lawyer. Employment law.", "Gardener and beekeeper.",
]:
    add([], bio)

with open("bios.jsonl", "w") as out:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(rows), "bios;",
      {key: sum(key in r["segments"] for r in rows) for key in (AI, MKT, FIN)}, "positives")
