"""The hostile-input campaign: nothing gets in, nothing is lost (see CAMPAIGN.md)."""
