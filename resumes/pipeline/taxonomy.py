"""The skills every install knows before any reference data is imported: a small starting taxonomy.

Imported O*NET technology skills and ESCO skills extend it (resumes.services.reference); these lists only make
parsing useful on a fresh install. Kinds follow the dotin labels: tech tools, job-specific skills, soft skills.
"""
TECH, JOB, SOFT = "tech", "job", "soft"
KINDS = (TECH, JOB, SOFT)
KIND_LABELS = {TECH: "Tech Tools", JOB: "Job Specific Skills", SOFT: "Soft Skills"}

TECH_TOOLS = """
python|java|javascript|typescript|c|c++|c#|go|golang|rust|ruby|php|perl|scala|kotlin|swift|objective-c|r|matlab|sas|spss|stata|
sql|mysql|postgresql|postgres|oracle|sql server|t-sql|pl/sql|sqlite|mongodb|cassandra|redis|elasticsearch|dynamodb|hive|hbase|
hadoop|spark|pyspark|kafka|airflow|snowflake|bigquery|redshift|databricks|tableau|power bi|qlikview|looker|excel|ms excel|
microsoft excel|ms word|microsoft word|powerpoint|ms powerpoint|microsoft office|ms office|outlook|ms access|
visio|sharepoint|quickbooks|sap|sap fi|sap crm|salesforce|peoplesoft|jira|confluence|git|github|gitlab|svn|bitbucket|jenkins|
docker|kubernetes|terraform|ansible|puppet|aws|azure|gcp|google cloud|linux|unix|windows|bash|shell scripting|powershell|
html|css|html5|css3|react|react.js|angular|angularjs|vue.js|node.js|nodejs|django|flask|spring|spring boot|
hibernate|.net|asp.net|jquery|bootstrap|graphql|soap|json|xml|selenium|junit|pytest|testng|postman|jmeter|loadrunner|
qtp|eclipse|intellij|pycharm|visual studio|tensorflow|pytorch|keras|scikit-learn|pandas|numpy|opencv|nltk|spacy|
autocad|solidworks|photoshop|illustrator|indesign|figma|wordpress|joomla|drupal|magento|shopify|
informatica|talend|ssis|ssrs|ssas|essbase|hyperion|cognos|microstrategy|splunk|nagios|servicenow|vmware|
citrix|active directory|tcp/ip|dns|dhcp|cisco|android|ios|xcode|unity
""".replace("\n", "").split("|")

JOB_SKILLS = """
machine learning|deep learning|data analysis|data analytics|data science|data mining|data modeling|data visualization|
statistics|statistical analysis|natural language processing|computer vision|software development|web development|
software testing|unit testing|manual testing|automation testing|quality assurance|test cases|regression testing|
project management|program management|product management|agile|scrum|waterfall|business analysis|requirements gathering|
system design|software architecture|microservices|devops|ci/cd|cloud computing|database administration|
network administration|system administration|technical support|troubleshooting|customer service|customer support|sales|
marketing|digital marketing|seo|social media|content writing|copywriting|public relations|accounting|bookkeeping|
financial analysis|financial reporting|budgeting|forecasting|auditing|taxation|payroll|risk management|compliance|
procurement|supply chain|logistics|inventory management|operations management|human resources|recruiting|recruitment|
onboarding|training|teaching|curriculum development|lesson planning|research|grant writing|case management|
patient care|nursing|clinical research|policy analysis|contract management|vendor management|stakeholder management|
budget management|process improvement|six sigma|lean|reporting|documentation|technical writing|ux design|ui design|
graphic design|event planning|crm|erp|etl|data warehousing|business intelligence|cyber security|cybersecurity|
information security|penetration testing|mobile development|game development|embedded systems|
""".replace("\n", "").split("|")

SOFT_SKILLS = """
communication|communication skills|teamwork|team player|leadership|problem solving|critical thinking|time management|
adaptability|collaboration|creativity|interpersonal skills|attention to detail|analytical skills|decision making|
negotiation|presentation skills|public speaking|conflict resolution|mentoring|coaching|self-motivated|organizational skills|
multitasking|work ethic|flexibility|initiative|empathy|active listening|written communication|verbal communication|
""".replace("\n", "").split("|")


def builtin_skills() -> list[tuple[str, str]]:
    """(name, kind) pairs of the starting taxonomy."""
    out = [(s.strip(), TECH) for s in TECH_TOOLS if s.strip()]
    out += [(s.strip(), JOB) for s in JOB_SKILLS if s.strip()]
    out += [(s.strip(), SOFT) for s in SOFT_SKILLS if s.strip()]
    return out
