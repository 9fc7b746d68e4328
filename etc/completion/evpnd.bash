# bash completion for evpnd and evpnctl (installed as
# /usr/share/bash-completion/completions/evpnd, with an evpnctl symlink).

_evpn_devices()
{
	# kernel evpn devices, and TAP devices of running evpnds (their sockets)
	{
		ip -o link show type evpn 2>/dev/null | awk -F': ' '{ print $2 }'
		for s in "${EVPN_RUN_DIR:-/run/evpn}"/*.sock; do
			[ -S "$s" ] && basename "$s" .sock
		done
	} 2>/dev/null | sort -u
}

_evpnd()
{
	local cur prev
	_init_completion || return
	case $prev in
	-c | --config)
		_filedir conf
		return
		;;
	esac
	COMPREPLY=($(compgen -W '-c --config -f --foreground -v --verbose
		-t --test -h --help -V --version' -- "$cur"))
}
complete -F _evpnd evpnd

_evpnctl()
{
	local cur prev words cword cmds
	_init_completion || return
	if [ "$cword" -eq 1 ]; then
		# the commands evpnctl's own usage lists (new ones appear here too)
		cmds=$(evpnctl --help 2>/dev/null |
			sed -n 's/^\(usage:\)\{0,1\} *evpnctl \([a-z-]*\).*/\2/p' | sort -u)
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	case ${words[1]} in
	show | status)
		COMPREPLY=($(compgen -W "$(_evpn_devices) --json" -- "$cur"))
		;;
	topology)
		case $prev in
		--format) COMPREPLY=($(compgen -W 'dot svg' -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "$(_evpn_devices) --format" -- "$cur")) ;;
		esac
		;;
	init)
		case $prev in
		--config | --ca-file | --password-file | --turn-password-file | --groups-file)
			_filedir ;;
		--state-dir) _filedir -d ;;
		--datapath) COMPREPLY=($(compgen -W 'auto tap kernel' -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W '--jid --server --port --ca-file --group
			--address --password-file --stun --turn --turn-user
			--turn-password-file --name --datapath --state-dir --config
			--groups-file --force --help' -- "$cur")) ;;
		esac
		;;
	link | key | fdb)
		if [ "$cword" -eq 2 ]; then
			COMPREPLY=($(compgen -W 'add set del show swap' -- "$cur"))
		elif [ "$cword" -eq 3 ]; then
			COMPREPLY=($(compgen -W "$(_evpn_devices)" -- "$cur"))
		fi
		;;
	mcast)
		if [ "$cword" -eq 2 ]; then
			COMPREPLY=($(compgen -W 'show' -- "$cur"))
		elif [ "$cword" -eq 3 ]; then
			COMPREPLY=($(compgen -W "$(_evpn_devices)" -- "$cur"))
		fi
		;;
	set)
		[ "$cword" -eq 2 ] &&
			COMPREPLY=($(compgen -W "$(_evpn_devices)" -- "$cur"))
		;;
	esac
}
complete -F _evpnctl evpnctl
