"""Word lists for names, domains, pages and devices. Fixed tuples: their order is part of the
output, so append only."""

FIRST_NAMES = (
    "Jane", "John", "Maria", "David", "Aisha", "Wei", "Carlos", "Emma", "Liam", "Olivia",
    "Noah", "Sofia", "Lucas", "Mia", "Ethan", "Ava", "Mateo", "Isabella", "Leo", "Chloe",
    "Omar", "Priya", "Hiro", "Fatima", "Jonas", "Elena", "Tomas", "Nora", "Samuel", "Grace",
    "Daniel", "Zoe", "Ibrahim", "Hannah", "Kenji", "Lena", "Marco", "Julia", "Ravi", "Clara",
    "Diego", "Amara", "Felix", "Ines", "Yusuf", "Maya", "Pablo", "Sara", "Anton", "Lucy",
)
LAST_NAMES = (
    "Doe", "Smith", "Garcia", "Chen", "Khan", "Nguyen", "Muller", "Rossi", "Okafor", "Silva",
    "Johnson", "Brown", "Lopez", "Kim", "Patel", "Novak", "Schmidt", "Moreau", "Tanaka", "Ali",
    "Williams", "Martin", "Hernandez", "Park", "Singh", "Kowalski", "Fischer", "Dubois", "Sato",
    "Hassan", "Taylor", "Clark", "Rivera", "Lee", "Shah", "Horvat", "Weber", "Laurent", "Ito",
    "Mensah", "Walker", "Young", "Torres", "Choi", "Gupta", "Varga", "Wagner", "Bernard",
    "Suzuki", "Adeyemi",
)
EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com",
                 "proton.me", "fastmail.com", "aol.com")
EMAIL_DOMAIN_P = (0.35, 0.12, 0.15, 0.15, 0.08, 0.05, 0.05, 0.05)
COMPANY_WORDS = ("metrocargo", "rapidroute", "greenlane", "citycourier", "pedalpost",
                 "bakeryonmain", "urbanflowers", "quickfix", "harborcafe", "northdeli")
AREA_CODES = ("212", "312", "303", "415", "646", "773", "720", "310", "917", "872")

# Segment device user agents: desktop first, then mobile.
USER_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1",
)
KIOSK_USER_AGENT = ("Mozilla/5.0 (X11; CrOS x86_64 15699.85.0) AppleWebKit/537.36 "
                    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 CadenceKiosk/2.3")
MAIL_USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)",
)

SITE = "https://www.cadencebikes.com"
# (path, page name, title) for anonymous browsing, weighted per persona below.
AWARENESS_PAGES = (
    ("/", "Home", "Cadence Bikes | Electric bikes, delivered"),
    ("/bikes/metro", "Metro", "Metro commuter e-bike | Cadence Bikes"),
    ("/bikes/ridge", "Ridge", "Ridge trail e-bike | Cadence Bikes"),
    ("/bikes/haul", "Haul", "Haul cargo e-bike | Cadence Bikes"),
    ("/pricing", "Pricing", "Pricing and financing | Cadence Bikes"),
    ("/test-rides", "Test Rides", "Book a free test ride | Cadence Bikes"),
    ("/blog/commuting-by-e-bike", "Blog Post",
     "Commuting by e-bike: a field guide | Cadence Bikes"),
    ("/blog/family-cargo-bikes", "Blog Post", "Cargo bikes for families | Cadence Bikes"),
    ("/reviews", "Reviews", "Rider reviews | Cadence Bikes"),
)
AWARENESS_PAGE_P = (
    (0.22, 0.25, 0.06, 0.03, 0.12, 0.10, 0.12, 0.02, 0.08),
    (0.22, 0.06, 0.27, 0.03, 0.12, 0.10, 0.08, 0.04, 0.08),
    (0.22, 0.04, 0.04, 0.30, 0.12, 0.10, 0.02, 0.08, 0.08),
)
MEMBER_PAGES = (
    ("/account", "Account", "Your account | Cadence Bikes"),
    ("/bikes/metro", "Metro", "Metro commuter e-bike | Cadence Bikes"),
    ("/bikes/ridge", "Ridge", "Ridge trail e-bike | Cadence Bikes"),
    ("/bikes/haul", "Haul", "Haul cargo e-bike | Cadence Bikes"),
    ("/accessories", "Accessories", "Locks, lights and bags | Cadence Bikes"),
    ("/support/setup", "Setup Guide", "Setting up your Cadence | Cadence Bikes"),
    ("/blog/winter-riding", "Blog Post", "Winter riding tips | Cadence Bikes"),
    ("/test-rides", "Test Rides", "Book a free test ride | Cadence Bikes"),
)
SIGNUP_PAGE = ("/signup", "Sign Up", "Create your account | Cadence Bikes")
BOOK_PAGE = ("/test-rides/book", "Book Test Ride", "Pick a time | Cadence Bikes")
CHECKOUT_PAGE = ("/checkout", "Checkout", "Checkout | Cadence Bikes")

# Where each first-touch channel's landing comes from: utm source, medium, campaign names.
CAMPAIGNS = (
    ("google", "cpc", ("spring_ebike_search", "commuter_search", "cargo_bike_search")),
    ("google", "organic", ()),
    ("instagram", "paid_social", ("weekend_rides_video", "family_hauler_carousel")),
    ("partner_newsletter", "email", ("bikeradar_weekly",)),
    ("bikeradar.com", "referral", ("best_ebikes_2026",)),
)
REFERRERS = ("https://www.google.com/", "https://www.google.com/", "https://l.instagram.com/",
             "", "https://www.bikeradar.com/best-e-bikes")

BIKE_MODELS = (("Metro", "Metro+"), ("Ridge", "Ridge Pro"), ("Haul", "Haul Duo"))
STORES = ("NYC-01", "CHI-01", "DEN-01", "LAX-01")
# Store per home zone (London and Berlin visitors ride in New York).
ZONE_STORE = (0, 1, 2, 3, 0, 0)
STORE_ZONE = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")

AGENTS = (
    ("Riley Cho", "riley@cadencebikes.com"),
    ("Sam Okoro", "sam@cadencebikes.com"),
    ("Alex Brandt", "alex@cadencebikes.com"),
    ("Jordan Vega", "jordan@cadencebikes.com"),
)
