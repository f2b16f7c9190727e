"""Word lists behind the demo organisation (see demo_org.py).

Kept apart from the generator so the generator reads as an algorithm and this file as
a catalogue anyone can extend. Every list is a tuple so it cannot be changed by a
caller by accident.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Team:
    name: str
    job_family: str
    role: str  # the individual contributor's job title stem, e.g. "Software Engineer"


@dataclass(frozen=True, slots=True)
class Department:
    name: str
    weight: float  # share of the headcount, relative to the other departments
    teams: tuple[Team, ...]
    manager_title: str  # first-line manager, e.g. "Engineering Manager"
    head_title: str
    skills: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    """Comma-separated words as a tuple; keeps the long lists short on the page."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


def _teams(*rows: tuple[str, str, str]) -> tuple[Team, ...]:
    return tuple(Team(*row) for row in rows)


# In order of priority: a small organisation gets the first few departments only.
DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "Engineering",
        3.0,
        _teams(
            ("Platform", "Software Engineering", "Software Engineer"),
            ("Payments", "Software Engineering", "Software Engineer"),
            ("Mobile Apps", "Software Engineering", "Mobile Engineer"),
            ("Infrastructure", "Site Reliability", "Site Reliability Engineer"),
            ("Quality", "Quality Engineering", "QA Engineer"),
            ("Security", "Security Engineering", "Security Engineer"),
            ("Web Frontend", "Software Engineering", "Frontend Engineer"),
        ),
        "Engineering Manager",
        "VP Engineering",
        _words(
            "SQL, system design, Python, code review, cloud architecture, "
            "testing strategy, incident response, distributed systems, Kubernetes, "
            "TypeScript, technical writing, performance tuning, API design"
        ),
    ),
    Department(
        "Sales",
        2.0,
        _teams(
            ("Enterprise EMEA", "Account Management", "Account Executive"),
            ("Enterprise Americas", "Account Management", "Account Executive"),
            ("Mid-Market", "Account Management", "Account Manager"),
            ("Sales Development", "Sales Development", "Sales Development Representative"),
            ("Solutions Consulting", "Pre-Sales", "Solutions Consultant"),
        ),
        "Sales Manager",
        "Chief Revenue Officer",
        _words(
            "negotiation, account planning, pipeline management, cold outreach, "
            "closing deals, CRM hygiene, forecasting, discovery calls, value selling, "
            "contract terms"
        ),
    ),
    Department(
        "Customer Support",
        1.8,
        _teams(
            ("Tier 1 Support", "Customer Support", "Support Specialist"),
            ("Technical Support", "Customer Support", "Technical Support Engineer"),
            ("Customer Success", "Customer Success", "Customer Success Manager"),
            ("Support Operations", "Support Operations", "Support Operations Analyst"),
        ),
        "Support Team Lead",
        "VP Customer Experience",
        _words(
            "de-escalation, ticket triage, knowledge base writing, customer empathy, "
            "troubleshooting, onboarding customers, renewals, churn analysis"
        ),
    ),
    Department(
        "Product",
        1.0,
        _teams(
            ("Core Product", "Product Management", "Product Manager"),
            ("Growth", "Product Management", "Product Manager"),
            ("Design", "Product Design", "Product Designer"),
            ("User Research", "Research", "User Researcher"),
        ),
        "Group Product Manager",
        "Chief Product Officer",
        _words(
            "roadmapping, user interviews, prioritisation frameworks, prototyping, "
            "product discovery, writing specs, A/B testing, interaction design"
        ),
    ),
    Department(
        "Marketing",
        1.0,
        _teams(
            ("Brand", "Marketing", "Brand Marketer"),
            ("Demand Generation", "Marketing", "Demand Generation Manager"),
            ("Content", "Content", "Content Writer"),
            ("Product Marketing", "Product Marketing", "Product Marketing Manager"),
        ),
        "Marketing Manager",
        "Chief Marketing Officer",
        _words(
            "campaign planning, copywriting, SEO, marketing analytics, brand strategy, "
            "event marketing, positioning, social media"
        ),
    ),
    Department(
        "Data",
        0.8,
        _teams(
            ("Analytics", "Data Analytics", "Data Analyst"),
            ("Data Engineering", "Data Engineering", "Data Engineer"),
            ("Data Science", "Data Science", "Data Scientist"),
        ),
        "Data Manager",
        "Head of Data",
        _words(
            "SQL, statistics, machine learning, data modelling, dashboards, "
            "experiment design, Python, data storytelling, ETL pipelines"
        ),
    ),
    Department(
        "Operations",
        0.9,
        _teams(
            ("Business Operations", "Operations", "Operations Analyst"),
            ("Procurement", "Procurement", "Procurement Specialist"),
            ("Facilities", "Facilities", "Workplace Coordinator"),
            ("IT", "IT", "IT Support Engineer"),
        ),
        "Operations Manager",
        "Chief Operating Officer",
        _words(
            "process improvement, vendor management, project management, "
            "budget tracking, lean methods, supply planning, IT service management"
        ),
    ),
    Department(
        "Finance",
        0.7,
        _teams(
            ("Accounting", "Accounting", "Accountant"),
            ("FP&A", "Financial Planning", "Financial Analyst"),
            ("Tax", "Tax", "Tax Specialist"),
            ("Treasury", "Treasury", "Treasury Analyst"),
        ),
        "Finance Manager",
        "Chief Financial Officer",
        _words(
            "financial modelling, budgeting, forecasting, Excel, audit preparation, "
            "revenue recognition, cash management, board reporting"
        ),
    ),
    Department(
        "People",
        0.6,
        _teams(
            ("Talent Acquisition", "Recruiting", "Recruiter"),
            ("People Partners", "HR Business Partnering", "HR Business Partner"),
            ("Learning & Development", "Learning", "Learning Designer"),
            ("Total Rewards", "Compensation", "Compensation Analyst"),
        ),
        "People Manager",
        "Chief People Officer",
        _words(
            "interviewing, employment law basics, coaching, workshop facilitation, "
            "compensation design, employee relations, org design, sourcing"
        ),
    ),
    Department(
        "Legal",
        0.3,
        _teams(
            ("Commercial Legal", "Legal", "Legal Counsel"),
            ("Privacy & Compliance", "Compliance", "Compliance Specialist"),
        ),
        "Senior Counsel",
        "General Counsel",
        _words(
            "contract drafting, privacy law, regulatory compliance, risk assessment, "
            "negotiation, policy writing"
        ),
    ),
)

# Skills nobody owns: everyone offers or seeks a couple of these.
CROSS_CUTTING_SKILLS: tuple[str, ...] = _words(
    "public speaking, stakeholder management, giving feedback, mentoring, "
    "writing clearly, time management, influencing without authority, "
    "presenting to executives, running meetings, conflict resolution, "
    "strategic thinking, delegation, hiring, storytelling with data"
)

# Only managers tend to offer these; individual contributors seek them.
LEADERSHIP_SKILLS: tuple[str, ...] = _words(
    "delegation, hiring, coaching, strategic thinking, running meetings, "
    "giving feedback, managing performance, building a team"
)


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    timezone: str
    local_languages: tuple[str, ...]  # besides English
    weight: float


LOCATIONS: tuple[Location, ...] = (
    Location("London", "Europe/London", (), 3.0),
    Location("Paris", "Europe/Paris", ("French",), 1.5),
    Location("Berlin", "Europe/Berlin", ("German",), 1.5),
    Location("Madrid", "Europe/Madrid", ("Spanish",), 1.0),
    Location("Warsaw", "Europe/Warsaw", ("Polish",), 0.8),
    Location("New York", "America/New_York", (), 2.5),
    Location("San Francisco", "America/Los_Angeles", (), 1.5),
    Location("Toronto", "America/Toronto", ("French",), 0.8),
    Location("São Paulo", "America/Sao_Paulo", ("Portuguese",), 1.0),
    Location("Mexico City", "America/Mexico_City", ("Spanish",), 0.7),
    Location("Singapore", "Asia/Singapore", ("Mandarin", "Malay"), 1.2),
    Location("Bengaluru", "Asia/Kolkata", ("Hindi", "Kannada"), 2.0),
    Location("Tokyo", "Asia/Tokyo", ("Japanese",), 0.7),
    Location("Sydney", "Australia/Sydney", (), 1.0),
    Location("Nairobi", "Africa/Nairobi", ("Swahili",), 0.5),
    Location("Lagos", "Africa/Lagos", ("Yoruba",), 0.5),
    Location("Dubai", "Asia/Dubai", ("Arabic",), 0.5),
)

# A few people speak a language from elsewhere as well.
EXTRA_LANGUAGES: tuple[str, ...] = _words(
    "Spanish, French, German, Mandarin, Portuguese, Italian, Arabic, Hindi"
)

# Each goal tag with several ways people phrase it, so statements read differently.
CAREER_GOALS: dict[str, tuple[str, ...]] = {
    "move into management": (
        "move into a people-management role",
        "take on my first direct reports",
        "grow from doing the work to leading the people who do it",
    ),
    "become a technical expert": (
        "become the go-to expert in my field",
        "deepen my craft until I can set the technical direction",
        "be recognised as a specialist rather than a generalist",
    ),
    "switch function": (
        "move into a different function",
        "try a role outside my current department",
        "use what I know in a completely different kind of work",
    ),
    "build an external profile": (
        "speak at conferences and write about my work",
        "build a reputation outside the company",
        "grow my network across the industry",
    ),
    "lead a larger team": (
        "lead a bigger organisation",
        "take on managers as direct reports",
        "run a department of my own",
    ),
    "start a business": (
        "start my own company one day",
        "learn what it takes to found a business",
        "build something of my own",
    ),
    "get promoted": (
        "reach the next level",
        "make the case for my promotion",
        "grow into a more senior role",
    ),
    "work internationally": (
        "work in another country",
        "take an international assignment",
        "work with teams across several regions",
    ),
    "improve work-life balance": (
        "find a more sustainable pace",
        "do great work without burning out",
    ),
    "become an executive": (
        "join the executive team",
        "shape the company's strategy",
    ),
}

# Which goals people tend to have, by where they sit in the organisation.
GOAL_WEIGHTS: dict[str, dict[str, float]] = {
    "junior": {
        "get promoted": 3,
        "become a technical expert": 2,
        "move into management": 1.5,
        "switch function": 1,
        "build an external profile": 0.7,
        "work internationally": 0.8,
        "start a business": 0.4,
        "improve work-life balance": 0.6,
    },
    "senior": {
        "move into management": 2,
        "become a technical expert": 2.5,
        "get promoted": 1.5,
        "build an external profile": 1.2,
        "switch function": 0.6,
        "work internationally": 0.6,
        "start a business": 0.5,
        "improve work-life balance": 0.8,
    },
    "manager": {
        "lead a larger team": 3,
        "become an executive": 1,
        "get promoted": 1.5,
        "build an external profile": 1,
        "start a business": 0.5,
        "switch function": 0.5,
        "improve work-life balance": 0.8,
        "work internationally": 0.6,
    },
    "executive": {
        "become an executive": 2,
        "build an external profile": 1.5,
        "start a business": 1,
        "improve work-life balance": 1,
        "lead a larger team": 1,
    },
}
GOAL_OPENERS: tuple[str, ...] = (
    "I want to {}",
    "Over the next few years I'd like to {}",
    "My aim is to {}",
    "I'm working towards being able to {}",
    "In three to five years I hope to {}",
    "Long term, I plan to {}",
)
GOAL_JOINERS: tuple[str, ...] = (" and {}", ", and eventually {}", ", then {}", " while I {}")
GOAL_CLOSERS: tuple[str, ...] = (
    "",
    "",
    " I'd value a peer who has been through something similar.",
    " Honest feedback along the way would help a lot.",
    " I'm not sure yet what the first step should be.",
    " I have started, but progress has been slow.",
    ' A manager once told me I "think too small", so I\'m trying to think bigger.',
)

CHALLENGES_COMMON: tuple[str, ...] = _words(
    "office politics, work-life balance, imposter syndrome, "
    "remote collaboration, prioritisation, low visibility, saying no, "
    "cross-team alignment, career direction, dealing with ambiguity, "
    "keeping skills current"
)
CHALLENGES_MANAGER: tuple[str, ...] = _words(
    "managing up, delegation, difficult conversations, "
    "managing underperformance, hiring, team morale, managing former peers"
)

PRIOR_INDUSTRIES: tuple[str, ...] = _words(
    "retail, banking, consulting, public sector, startup, healthcare, "
    "manufacturing, telecoms, education, media, non-profit, logistics, "
    "insurance, energy, hospitality, military"
)
EDUCATION: tuple[str, ...] = _words(
    "engineering degree, computer science degree, MBA, self-taught, "
    "humanities degree, business degree, science degree, apprenticeship, "
    "law degree, bootcamp, PhD, economics degree"
)

# A deliberately international mix; accents and apostrophes are kept in names and
# removed from email addresses.
FIRST_NAMES: tuple[str, ...] = _words(
    "Aisha, Ahmed, Akira, Alejandro, Amara, Ana, Anders, Aroha, Ben, Bilal, "
    "Camille, Carlos, Chen, Chiamaka, Chloé, Daniel, Dmitri, Elif, Emma, Fatima, "
    "Felix, Freya, Gabriel, Grace, Hannah, Hiroshi, Ibrahim, Ingrid, Isabela, "
    "Jamal, James, Jia, João, Kavya, Kenji, Kwame, Laila, Lars, Leila, Liam, "
    "Lucía, Malik, Mariam, Mateo, Mei, Mohammed, Nadia, Naledi, Nikhil, Noah, "
    "Olivia, Omar, Oskar, Priya, Rafael, Rania, Ravi, Rosa, Ruth, Sakura, "
    "Samuel, Sanjay, Sara, Seo-yeon, Sipho, Siobhán, Sofia, Tariq, Thandiwe, "
    "Tomás, Wei, Yara, Yusuf, Zainab, Zoë, Zofia, Ada, Kai, Femi, Ines"
)
LAST_NAMES: tuple[str, ...] = _words(
    "Abe, Adeyemi, Ahmed, Alvarez, Andersen, Bauer, Banerjee, Bianchi, Chen, "
    "Costa, Da Silva, Dubois, Eze, Fernández, Fischer, García, Gupta, Haddad, "
    "Hansen, Hernández, Ito, Ivanova, Jansen, Johnson, Kang, Khan, Kim, "
    "Kowalski, Kumar, Larsen, Lefebvre, Li, López, Mbeki, Mensah, Moreau, "
    "Müller, Nakamura, Nguyen, Novak, O'Brien, Okafor, Olsen, Patel, Pereira, "
    "Petrov, Popescu, Qureshi, Rahman, Ramírez, Rossi, Santos, Schmidt, Sharma, "
    "Silva, Singh, Smith, Suzuki, Tanaka, Taylor, Thompson, Van der Berg, Wang, "
    "Williams, Wilson, Wójcik, Yamamoto, Yilmaz, Zhang, Zulu, Murphy, Nowak, "
    "Achebe, Bergström, Castillo, Dlamini, Evans, Friedman, Gonzaga"
)
