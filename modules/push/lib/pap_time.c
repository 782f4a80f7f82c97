/*
 * push module - PAP timestamps, UTC "YYYY-MM-DDThh:mm:ssZ" (plain C, no
 * Kamailio headers)
 *
 * The calendar arithmetic is done here rather than with timegm() and
 * gmtime_r(): it needs no time zone state and reads the same everywhere.
 */

#include "pap.h"

#define TIMESTAMP_LEN 20
/* 9999-12-31T23:59:59Z, the last time the format can carry */
#define TIME_MAX 253402300799LL

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned int m, unsigned int d)
{
	long long era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* The inverse, for days >= 0. */
static void civil_from_days(
		long long z, long long *y, unsigned int *m, unsigned int *d)
{
	long long era;
	unsigned int doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = (unsigned int)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

static unsigned int days_in_month(long long y, unsigned int m)
{
	static const unsigned char days[12] = {
			31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* The decimal number of s[0..n), -1 when a byte is not a digit. */
static long long digits(const char *s, int n)
{
	long long v = 0;
	int i;

	for(i = 0; i < n; i++) {
		if(s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int pap_time_parse(const char *s, size_t len, time_t *t)
{
	long long y, mo, d, h, mi, sec;

	if(len != TIMESTAMP_LEN || s[4] != '-' || s[7] != '-' || s[10] != 'T'
			|| s[13] != ':' || s[16] != ':' || (s[19] != 'Z' && s[19] != 'z'))
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if(y < 1970 || mo < 1 || mo > 12 || d < 1
			|| d > days_in_month(y, (unsigned int)mo) || h < 0 || h > 23
			|| mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return -1;
	*t = (time_t)(days_from_civil(y, (unsigned int)mo, (unsigned int)d) * 86400
				  + h * 3600 + mi * 60 + sec);
	return 0;
}

static void put2(char *out, unsigned int v)
{
	out[0] = (char)('0' + v / 10);
	out[1] = (char)('0' + v % 10);
}

/* Times before 1970 or after 9999 are written as the nearest the format
 * carries. */
void pap_time_format(time_t t, char out[21])
{
	long long s = t < 0 ? 0 : ((long long)t > TIME_MAX ? TIME_MAX : t);
	long long y;
	unsigned int m, d, sod = (unsigned int)(s % 86400);

	civil_from_days(s / 86400, &y, &m, &d);
	put2(out, (unsigned int)(y / 100));
	put2(out + 2, (unsigned int)(y % 100));
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, sod / 3600);
	out[13] = ':';
	put2(out + 14, sod / 60 % 60);
	out[16] = ':';
	put2(out + 17, sod % 60);
	out[19] = 'Z';
	out[20] = '\0';
}
