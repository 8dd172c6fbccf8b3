namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>The small, fixed vocabulary the double "understands": Israeli cities and home services, in Hebrew and English.</summary>
public static class KeywordTables
{
    public static IReadOnlyList<KeywordEntry> Cities { get; } =
    [
        new("תל אביב", "Tel Aviv", ["תל אביב", "תל-אביב", "תל אביב-יפו", "תל אביב יפו"], ["tel aviv", "tel-aviv"]),
        new("ירושלים", "Jerusalem", ["ירושלים"], ["jerusalem"]),
        new("חיפה", "Haifa", ["חיפה"], ["haifa"]),
        new("באר שבע", "Beersheba", ["באר שבע", "באר-שבע"], ["beersheba", "beer sheva", "be'er sheva", "beer-sheva"]),
        new("ראשון לציון", "Rishon LeZion", ["ראשון לציון"], ["rishon lezion", "rishon le zion", "rishon"]),
        new("פתח תקווה", "Petah Tikva", ["פתח תקווה", "פתח תקוה", "פתח-תקווה"], ["petah tikva", "petach tikva", "petah tiqva"]),
        new("אשדוד", "Ashdod", ["אשדוד"], ["ashdod"]),
        new("נתניה", "Netanya", ["נתניה"], ["netanya"]),
        new("חולון", "Holon", ["חולון"], ["holon"]),
        new("בני ברק", "Bnei Brak", ["בני ברק"], ["bnei brak", "bene beraq"]),
        new("רמת גן", "Ramat Gan", ["רמת גן", "רמת-גן"], ["ramat gan", "ramat-gan"]),
        new("הרצליה", "Herzliya", ["הרצליה"], ["herzliya", "herzlia"]),
        new("רעננה", "Ra'anana", ["רעננה"], ["ra'anana", "raanana"]),
        new("כפר סבא", "Kfar Saba", ["כפר סבא"], ["kfar saba"]),
        new("רחובות", "Rehovot", ["רחובות"], ["rehovot"]),
        new("אילת", "Eilat", ["אילת"], ["eilat"]),
    ];

    public static IReadOnlyList<KeywordEntry> Services { get; } =
    [
        new("אינסטלטור", "plumber", ["אינסטלטור", "אינסטלציה", "שרברב", "נזילה", "נזילות", "סתימה", "סתימות", "דוד מים"], ["plumber", "plumbing", "leak", "leaking", "clogged"]),
        new("חשמלאי", "electrician", ["חשמלאי", "קצר חשמלי", "הפסקת חשמל", "לוח חשמל"], ["electrician", "electrical", "short circuit", "power outage"]),
        new("מנעולן", "locksmith", ["מנעולן", "פריצת דלת", "פריצת מנעול"], ["locksmith", "locked out"]),
        new("טכנאי מזגנים", "air conditioning technician", ["טכנאי מזגנים", "מזגן", "מזגנים", "מיזוג"], ["air conditioner", "air conditioning", "ac repair", "hvac"]),
        new("הדברה", "pest control", ["הדברה", "מדביר", "ג'וקים", "נמלים"], ["pest control", "exterminator", "cockroaches"]),
        new("ניקיון", "cleaning", ["ניקיון", "מנקה", "ניקוי"], ["cleaning", "cleaner"]),
        new("צבעי", "painter", ["צבעי", "צביעה"], ["painter", "painting"]),
        new("נגר", "carpenter", ["נגר", "נגרות"], ["carpenter", "carpentry"]),
        new("הובלות", "movers", ["הובלה", "הובלות", "מוביל"], ["movers", "moving company"]),
    ];
}
